using System.Diagnostics.Metrics;
using Serverless.Core.Diagnostics;

namespace Serverless.Core.Events;

/// <summary>The event stream's counters, on the same meter as the rest of the service.</summary>
internal static class EventStreamTelemetry
{
    public static Counter<long> Emitted { get; } =
        ServerlessTelemetry.Meter.CreateCounter<long>("serverless.events.emitted", description: "Job events handed to the stream.");

    public static Counter<long> Dropped { get; } =
        ServerlessTelemetry.Meter.CreateCounter<long>("serverless.events.dropped", description: "Job events dropped because the in-memory queue was full.");

    public static Counter<long> Stored { get; } =
        ServerlessTelemetry.Meter.CreateCounter<long>("serverless.events.stored", description: "Job events written to the outbox.");

    public static Counter<long> Shipped { get; } =
        ServerlessTelemetry.Meter.CreateCounter<long>("serverless.events.shipped", description: "Job events sent to Event Hubs.");

    public static Counter<long> PublishFailures { get; } =
        ServerlessTelemetry.Meter.CreateCounter<long>("serverless.events.publish_failures", description: "Shipping passes that failed (events stay in the outbox).");

    public static Histogram<double> BatchFill { get; } =
        ServerlessTelemetry.Meter.CreateHistogram<double>("serverless.events.batch_fill", description: "Event Hubs batch size over its limit, 0–1.");
}
