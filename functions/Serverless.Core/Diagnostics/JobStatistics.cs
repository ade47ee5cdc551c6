using System.Diagnostics.Metrics;
using Serverless.Protocol;

namespace Serverless.Core.Diagnostics;

/// <summary>
/// Rolling figures for operators (<c>GET /api/stats</c>, the dashboard): jobs finished per second, latency
/// percentiles and the failure rate over the last <see cref="Window"/>, from the host's <see cref="ServerlessMetrics"/>,
/// and the capacity left (<see cref="CapacityStatistics"/>).
/// </summary>
internal sealed class JobStatistics : IDisposable
{
    /// <summary>How far back the figures look; 60 s.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    // Bounds memory under any load; at the cap the window is effectively shorter, which the snapshot states.
    private const int MaxSamples = 20_000;

    private readonly TimeProvider _time;
    private readonly CapacityStatistics _capacity;
    private readonly MeterListener _listener = new();
    private readonly Queue<Sample> _durations = new();
    private readonly Queue<long> _failures = new();
    private readonly Queue<long> _rejections = new();
    private readonly Lock _gate = new();

    public JobStatistics(ServerlessMetrics metrics, CapacityStatistics capacity, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _capacity = capacity;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (metrics.Owns(instrument) && instrument.Name is MetricNames.JobDuration or MetricNames.JobsFinished or MetricNames.RequestsRejected)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(_durations, new Sample(_time.GetTimestamp(), value)));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == MetricNames.RequestsRejected)
            {
                Add(_rejections, _time.GetTimestamp());
            }
            else if (HasTag(tags, "status", Protocol.JobStatus.Failed))
            {
                Add(_failures, _time.GetTimestamp());
            }
        });
        _listener.Start();
    }

    /// <summary>The figures over the last <see cref="Window"/>.</summary>
    public JobStatisticsSnapshot Snapshot()
    {
        double[] durations;
        int failures;
        int rejections;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            Trim(_durations, s => s.At, now);
            Trim(_failures, at => at, now);
            Trim(_rejections, at => at, now);
            durations = [.. _durations.Select(s => s.Seconds)];
            failures = _failures.Count;
            rejections = _rejections.Count;
        }

        Array.Sort(durations);
        double seconds = Window.TotalSeconds;
        return new JobStatisticsSnapshot(
            WindowSeconds: seconds,
            Finished: durations.Length,
            Failed: failures,
            Rejected: rejections,
            ThroughputPerSecond: Math.Round(durations.Length / seconds, 3),
            ErrorRate: durations.Length == 0 ? 0 : Math.Round((double)failures / durations.Length, 4),
            LatencyP50Ms: Percentile(durations, 0.50),
            LatencyP95Ms: Percentile(durations, 0.95),
            LatencyP99Ms: Percentile(durations, 0.99),
            Capacity: _capacity.Snapshot());
    }

    public void Dispose() => _listener.Dispose();

    private void Add<T>(Queue<T> queue, T item)
    {
        lock (_gate)
        {
            if (queue.Count >= MaxSamples)
            {
                queue.Dequeue();
            }

            queue.Enqueue(item);
        }
    }

    private void Trim<T>(Queue<T> queue, Func<T, long> at, long now)
    {
        while (queue.Count > 0 && _time.GetElapsedTime(at(queue.Peek()), now) > Window)
        {
            queue.Dequeue();
        }
    }

    private static bool HasTag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key, string value)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == key && tag.Value is string s && s == value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Nearest-rank percentile in milliseconds; null with no samples.</summary>
    private static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)] * 1000, 1);

    private readonly record struct Sample(long At, double Seconds);
}
