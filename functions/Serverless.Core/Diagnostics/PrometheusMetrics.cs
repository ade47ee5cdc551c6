using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Serverless.Core.Diagnostics;

/// <summary>
/// Listens to the host's <see cref="ServerlessMetrics"/> and renders it in the Prometheus text format
/// (<c>GET /api/metrics</c>): counters as <c>_total</c>, histograms with buckets, up-down counters and gauges as gauges.
/// </summary>
internal sealed class PrometheusMetrics : IDisposable
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    /// <summary>The .NET runtime's own meter (process-wide: CPU, memory, GC, thread pool).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>The runtime instruments a capacity view needs, out of the runtime meter's many.</summary>
    public static readonly IReadOnlySet<string> RuntimeInstruments = new HashSet<string>(StringComparer.Ordinal)
    {
        "dotnet.process.cpu.time",
        "dotnet.process.memory.working_set",
        "dotnet.gc.pause.time",
        "dotnet.gc.heap.total_allocated",
        "dotnet.thread_pool.queue.length",
        "dotnet.thread_pool.thread.count",
    };

    // Levels (they go down too) that the runtime publishes as observable counters: shown as gauges, as they are.
    private static readonly HashSet<string> RuntimeLevels = new(StringComparer.Ordinal) { "dotnet.thread_pool.queue.length", "dotnet.thread_pool.thread.count" };

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();

    public PrometheusMetrics(ServerlessMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (metrics.Owns(instrument) || (instrument.Meter.Name == RuntimeMeterName && RuntimeInstruments.Contains(instrument.Name)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    /// <summary>The current values in the Prometheus text exposition format (version 0.0.4).</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (IGrouping<string, Series> family in _series.Values.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Series first = family.First();
            text.Append(CultureInfo.InvariantCulture, $"# HELP {family.Key} {first.Help}\n# TYPE {family.Key} {first.Type}\n");
            foreach (Series series in family.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                series.WriteTo(text);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The hot path builds no strings: a series is found by its tag values; labels are rendered once, on creation.
        var key = new SeriesKey(
            instrument,
            tags.Length > 0 ? tags[0].Value : null,
            tags.Length > 1 ? tags[1].Value : null,
            tags.Length > 2 ? tags[2].Value : null,
            tags.Length > 3 ? Labels(tags) : null);
        if (!_series.TryGetValue(key, out Series? series))
        {
            series = _series.GetOrAdd(key, new Series(instrument, Labels(tags)));
        }

        series.Add(value);
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var pairs = new List<string>(tags.Length);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            string value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            pairs.Add($"{Sanitize(tag.Key)}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }

    private readonly record struct SeriesKey(Instrument Instrument, object? First, object? Second, object? Third, string? More);

    private static string Sanitize(string name) => name.Replace('.', '_').Replace('-', '_');

    private sealed class Series
    {
        private readonly bool _isHistogram;
        private readonly bool _isGauge;
        private readonly long[] _bucketCounts = new long[Buckets.Length];
        private double _value;
        private long _count;

        public Series(Instrument instrument, string labels)
        {
            _isHistogram = instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);
            _isGauge = instrument.GetType().Name.Contains("Gauge", StringComparison.Ordinal);
            bool upDown = instrument.GetType().Name.Contains("UpDown", StringComparison.Ordinal) || RuntimeLevels.Contains(instrument.Name);
            string unit = instrument.Unit switch
            {
                "s" => "_seconds",
                "By" => "_bytes",
                _ => string.Empty,
            };
            Name = Sanitize(instrument.Name) + unit + (_isHistogram || _isGauge || upDown ? string.Empty : "_total");
            Type = _isHistogram ? "histogram" : _isGauge || upDown ? "gauge" : "counter";

            // An observable instrument reports its current value (a counter: its running total), never an increment.
            _isGauge |= instrument.IsObservable;
            Help = instrument.Description ?? instrument.Name;
            Labels = labels;
        }

        public string Name { get; }

        public string Type { get; }

        public string Help { get; }

        public string Labels { get; }

        public void Add(double value)
        {
            lock (this)
            {
                if (_isGauge)
                {
                    _value = value;
                    return;
                }

                _value += value;
                _count++;
                if (_isHistogram)
                {
                    for (int i = 0; i < Buckets.Length; i++)
                    {
                        if (value <= Buckets[i])
                        {
                            _bucketCounts[i]++;
                        }
                    }
                }
            }
        }

        public void WriteTo(StringBuilder text)
        {
            lock (this)
            {
                if (!_isHistogram)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{Name}{Labels} {_value}\n");
                    return;
                }

                string inner = Labels.Length == 0 ? string.Empty : Labels[1..^1] + ",";
                for (int i = 0; i < Buckets.Length; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{Name}_bucket{{{inner}le=\"{Buckets[i]}\"}} {_bucketCounts[i]}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"{Name}_bucket{{{inner}le=\"+Inf\"}} {_count}\n");
                text.Append(CultureInfo.InvariantCulture, $"{Name}_sum{Labels} {_value}\n{Name}_count{Labels} {_count}\n");
            }
        }
    }
}
