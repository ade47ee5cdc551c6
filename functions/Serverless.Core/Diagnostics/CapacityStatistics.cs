using System.Diagnostics.Metrics;
using Serverless.Protocol;

namespace Serverless.Core.Diagnostics;

/// <summary>
/// Reads the capacity gauges — the host's own (stages, event queue, connections, the task hub's queues) and the
/// runtime's (CPU, memory, GC pauses, thread-pool queue) — for <c>GET /api/stats</c>, from the same instruments
/// <c>/api/metrics</c> and Azure Monitor export.
/// </summary>
internal sealed class CapacityStatistics : IDisposable
{
    private const string CpuTimeName = "dotnet.process.cpu.time";

    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, double> _current = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _connections;
    private (long At, double CpuSeconds)? _previousCpu;

    public CapacityStatistics(ServerlessMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            bool runtime = instrument.Meter.Name == PrometheusMetrics.RuntimeMeterName && PrometheusMetrics.RuntimeInstruments.Contains(instrument.Name);
            bool own = metrics.Owns(instrument) && (instrument.IsObservable && instrument.Name != MetricNames.ProgressCoalescingRatio || instrument.Name == MetricNames.ActiveConnections);
            if (runtime || own)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument, value));
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Record(instrument, value));
        _listener.Start();
    }

    /// <summary>The gauges now; CPU over the time since the previous call.</summary>
    public CapacitySnapshot Snapshot()
    {
        lock (_gate)
        {
            _current.Clear();
            _listener.RecordObservableInstruments();
            long now = _time.GetTimestamp();
            double? cpuPercent = null;
            if (Get(CpuTimeName) is { } cpuSeconds)
            {
                if (_previousCpu is { } previous && _time.GetElapsedTime(previous.At, now).TotalSeconds is var elapsed and > 0)
                {
                    cpuPercent = Math.Round(Math.Clamp((cpuSeconds - previous.CpuSeconds) / elapsed / Environment.ProcessorCount * 100, 0, 100), 1);
                }

                _previousCpu = (now, cpuSeconds);
            }

            return new CapacitySnapshot(
                CpuPercent: cpuPercent,
                WorkingSetBytes: Get("dotnet.process.memory.working_set"),
                GcPauseSeconds: Get("dotnet.gc.pause.time") is { } pause ? Math.Round(pause, 4) : null,
                ThreadPoolQueueLength: Get("dotnet.thread_pool.queue.length"),
                StagesRunning: Get(MetricNames.StagesRunning),
                StagesWaiting: Get(MetricNames.StagesWaiting),
                EventQueueLength: Get(MetricNames.EventQueueLength),
                ConnectedClients: Interlocked.Read(ref _connections),
                ControlQueueMessages: Get(MetricNames.ControlQueueMessages),
                ControlQueueOldestAgeSeconds: Get(MetricNames.ControlQueueOldestMessageAge),
                WorkItemQueueMessages: Get(MetricNames.WorkItemQueueMessages),
                WorkItemQueueOldestAgeSeconds: Get(MetricNames.WorkItemQueueOldestMessageAge),
                PoisonMessages: Get(MetricNames.PoisonMessages));
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value)
    {
        if (instrument.Name == MetricNames.ActiveConnections)
        {
            Interlocked.Add(ref _connections, (long)value);
            return;
        }

        // Called only from Snapshot (RecordObservableInstruments), under its lock; series of one instrument
        // (e.g. CPU time in user and system mode) add up.
        _current[instrument.Name] = _current.GetValueOrDefault(instrument.Name) + value;
    }

    private double? Get(string name) => _current.TryGetValue(name, out double value) ? value : null;
}
