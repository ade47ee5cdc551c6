using System.Diagnostics.Metrics;

namespace Serverless.Core.Diagnostics;

/// <summary>
/// The metrics one host exports (OpenTelemetry names), on a meter of its own created from the host's
/// <see cref="IMeterFactory"/>: two hosts in one process (tests, a benchmark) never count each other's work, and
/// <see cref="PrometheusMetrics"/> and <see cref="JobStatistics"/> read only their host's meter.
/// </summary>
internal sealed class ServerlessMetrics
{
    private long _progressReports;
    private long _progressFlushes;

    public ServerlessMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(ServerlessTelemetry.Name);
        JobsSubmitted = Meter.CreateCounter<long>(MetricNames.JobsSubmitted, description: "Requests accepted, by action and mode.");
        RoutingDecisions = Meter.CreateCounter<long>(MetricNames.RoutingDecisions, description: "Routing decisions, by action, mode and basis (declared or observed).");
        JobsFinished = Meter.CreateCounter<long>(MetricNames.JobsFinished, description: "Async jobs ended, by action and status.");
        RequestsRejected = Meter.CreateCounter<long>(MetricNames.RequestsRejected, description: "Requests refused, by error code.");
        JobDuration = Meter.CreateHistogram<double>(MetricNames.JobDuration, unit: "s", description: "Time from submit to the end, by action and mode.");
        AckLatency = Meter.CreateHistogram<double>(MetricNames.AckLatency, unit: "s", description: "Time from submit to the accepted answer of an async job, by action.");
        ProgressReports = Meter.CreateCounter<long>(MetricNames.ProgressReports, description: "Progress reports made by handlers.");
        ProgressFlushes = Meter.CreateCounter<long>(MetricNames.ProgressFlushes, description: "Table transactions written for progress.");
        Meter.CreateObservableGauge(
            MetricNames.ProgressCoalescingRatio,
            () => Interlocked.Read(ref _progressFlushes) is var flushes and > 0 ? Interlocked.Read(ref _progressReports) / (double)flushes : 0,
            description: "Handler progress reports per progress write since start (higher means more coalescing).");
        Pushes = Meter.CreateCounter<long>(MetricNames.Pushes, description: "Messages pushed to clients.");
        PushFailures = Meter.CreateCounter<long>(MetricNames.PushFailures, description: "Pushes that failed (the message stays persisted).");
        ActiveConnections = Meter.CreateUpDownCounter<long>(MetricNames.ActiveConnections, description: "Client connections open now.");
        EventsEmitted = Meter.CreateCounter<long>(MetricNames.EventsEmitted, description: "Job events handed to the stream.");
        EventsDropped = Meter.CreateCounter<long>(MetricNames.EventsDropped, description: "Job events dropped because the in-memory queue was full.");
        EventsStored = Meter.CreateCounter<long>(MetricNames.EventsStored, description: "Job events written to the outbox.");
        EventsShipped = Meter.CreateCounter<long>(MetricNames.EventsShipped, description: "Job events sent to Event Hubs.");
        EventPublishFailures = Meter.CreateCounter<long>(MetricNames.EventPublishFailures, description: "Shipping passes that failed (events stay in the outbox).");
        EventBatchFill = Meter.CreateHistogram<double>(MetricNames.EventBatchFill, description: "Event Hubs batch size over its limit, 0–1.");
    }

    /// <summary>The host's meter, named <see cref="ServerlessTelemetry.Name"/>.</summary>
    public Meter Meter { get; }

    public Counter<long> JobsSubmitted { get; }

    public Counter<long> RoutingDecisions { get; }

    public Counter<long> JobsFinished { get; }

    public Counter<long> RequestsRejected { get; }

    public Histogram<double> JobDuration { get; }

    public Histogram<double> AckLatency { get; }

    public Counter<long> ProgressReports { get; }

    public Counter<long> ProgressFlushes { get; }

    public Counter<long> Pushes { get; }

    public Counter<long> PushFailures { get; }

    public UpDownCounter<long> ActiveConnections { get; }

    public Counter<long> EventsEmitted { get; }

    public Counter<long> EventsDropped { get; }

    public Counter<long> EventsStored { get; }

    public Counter<long> EventsShipped { get; }

    public Counter<long> EventPublishFailures { get; }

    public Histogram<double> EventBatchFill { get; }

    /// <summary>Counts handler reports that one flush carried.</summary>
    public void RecordProgressReports(int reports)
    {
        ProgressReports.Add(reports);
        Interlocked.Add(ref _progressReports, reports);
    }

    /// <summary>Counts one progress write (a Table transaction).</summary>
    public void RecordProgressFlush()
    {
        ProgressFlushes.Add(1);
        Interlocked.Increment(ref _progressFlushes);
    }

    /// <summary>Whether <paramref name="instrument"/> is one of this host's (and not another host's in the same process).</summary>
    public bool Owns(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return ReferenceEquals(instrument.Meter, Meter);
    }
}
