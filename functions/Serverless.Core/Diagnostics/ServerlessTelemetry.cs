using System.Diagnostics;

namespace Serverless.Core.Diagnostics;

/// <summary>The trace source of every job's spans; the metrics are each host's <see cref="ServerlessMetrics"/>.</summary>
internal static class ServerlessTelemetry
{
    /// <summary>The name of both the <see cref="ActivitySource"/> and every host's <see cref="ServerlessMetrics.Meter"/>.</summary>
    public const string Name = "Serverless";

    public static ActivitySource ActivitySource { get; } = new(Name);

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

    /// <summary>Marks <paramref name="activity"/> failed with the protocol's error code.</summary>
    public static void SetError(this Activity? activity, string code, string? message = null)
    {
        activity?.SetStatus(ActivityStatusCode.Error, message ?? code);
        activity?.SetTag("error.type", code);
    }
}
