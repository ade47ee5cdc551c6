using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Serverless.Core.Diagnostics;

/// <summary>The trace source and the metrics every host exports (OpenTelemetry names).</summary>
public static class ServerlessTelemetry
{
    /// <summary>The name of both the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "Serverless";

    public static ActivitySource ActivitySource { get; } = new(Name);

    public static Meter Meter { get; } = new(Name);

    /// <summary>
    /// Starts a span of a job's trace: a child of <paramref name="traceParent"/> (the W3C <c>traceparent</c> the
    /// job input carries from submit), so submit, scheduling, every stage and the finish form one trace even
    /// though they run in different processes and at different times.
    /// </summary>
    public static Activity? StartJobSpan(string name, string? traceParent, string jobId, ActivityKind kind = ActivityKind.Internal)
    {
        ActivityContext.TryParse(traceParent, null, out ActivityContext parent);
        Activity? activity = ActivitySource.StartActivity(name, kind, parent);
        activity?.SetTag("job.id", jobId);
        return activity;
    }

    /// <summary>Counts handler reports that one flush carried.</summary>
    public static void RecordProgressReports(int reports)
    {
        ProgressReports.Add(reports);
        Interlocked.Add(ref s_progressReports, reports);
    }

    /// <summary>Counts one progress write (a Table transaction).</summary>
    public static void RecordProgressFlush()
    {
        ProgressFlushes.Add(1);
        Interlocked.Increment(ref s_progressFlushes);
    }

    /// <summary>Marks <paramref name="activity"/> failed with the protocol's error code.</summary>
    public static void SetError(this Activity? activity, string code, string? message = null)
    {
        activity?.SetStatus(ActivityStatusCode.Error, message ?? code);
        activity?.SetTag("error.type", code);
    }

    public static Counter<long> JobsSubmitted { get; } =
        Meter.CreateCounter<long>("serverless.jobs.submitted", description: "Requests accepted, by action and mode.");

    public static Counter<long> RoutingDecisions { get; } =
        Meter.CreateCounter<long>("serverless.routing.decisions", description: "Routing decisions, by action, mode and basis (declared or observed).");

    public static Counter<long> JobsFinished { get; } =
        Meter.CreateCounter<long>("serverless.jobs.finished", description: "Async jobs ended, by action and status.");

    public static Counter<long> RequestsRejected { get; } =
        Meter.CreateCounter<long>("serverless.requests.rejected", description: "Requests refused, by error code.");

    public static Histogram<double> JobDuration { get; } =
        Meter.CreateHistogram<double>("serverless.jobs.duration", unit: "s", description: "Time from submit to the end, by action and mode.");

    private static long s_progressReports;
    private static long s_progressFlushes;

    public static Counter<long> ProgressReports { get; } =
        Meter.CreateCounter<long>("serverless.progress.reports", description: "Progress reports made by handlers.");

    public static Counter<long> ProgressFlushes { get; } =
        Meter.CreateCounter<long>("serverless.progress.flushes", description: "Table transactions written for progress.");

    public static ObservableGauge<double> ProgressCoalescingRatio { get; } = Meter.CreateObservableGauge(
        "serverless.progress.coalescing_ratio",
        () => Interlocked.Read(ref s_progressFlushes) is var flushes and > 0 ? Interlocked.Read(ref s_progressReports) / (double)flushes : 0,
        description: "Handler progress reports per progress write since start (higher means more coalescing).");

    public static Counter<long> Pushes { get; } =
        Meter.CreateCounter<long>("serverless.push.sent", description: "Messages pushed to clients.");

    public static UpDownCounter<long> ActiveConnections { get; } =
        Meter.CreateUpDownCounter<long>("serverless.connections.active", description: "Client connections open now.");

    public static Counter<long> PushFailures { get; } =
        Meter.CreateCounter<long>("serverless.push.failures", description: "Pushes that failed (the message stays persisted).");
}
