namespace Serverless.Core.Diagnostics;

/// <summary>
/// The OpenTelemetry names of the metrics every host exports: one place for the instruments, the readers
/// (<c>/api/stats</c>, <c>/api/metrics</c>) and the deployment's alerts and workbook, which query them by name.
/// </summary>
internal static class MetricNames
{
    public const string JobsSubmitted = "serverless.jobs.submitted";
    public const string RoutingDecisions = "serverless.routing.decisions";
    public const string JobsFinished = "serverless.jobs.finished";
    public const string RequestsRejected = "serverless.requests.rejected";
    public const string JobDuration = "serverless.jobs.duration";
    public const string AckLatency = "serverless.jobs.ack_latency";
    public const string ProgressReports = "serverless.progress.reports";
    public const string ProgressFlushes = "serverless.progress.flushes";
    public const string ProgressCoalescingRatio = "serverless.progress.coalescing_ratio";
    public const string Pushes = "serverless.push.sent";
    public const string PushFailures = "serverless.push.failures";
    public const string ActiveConnections = "serverless.connections.active";
    public const string EventsEmitted = "serverless.events.emitted";
    public const string EventsDropped = "serverless.events.dropped";
    public const string EventsStored = "serverless.events.stored";
    public const string EventsShipped = "serverless.events.shipped";
    public const string EventPublishFailures = "serverless.events.publish_failures";
    public const string EventBatchFill = "serverless.events.batch_fill";
    public const string EventQueueLength = "serverless.events.queue.length";
    public const string StagesRunning = "serverless.stages.running";
    public const string StagesWaiting = "serverless.stages.waiting";
    public const string ControlQueueMessages = "serverless.durable.control_queue.messages";
    public const string ControlQueueOldestMessageAge = "serverless.durable.control_queue.oldest_message_age";
    public const string WorkItemQueueMessages = "serverless.durable.work_item_queue.messages";
    public const string WorkItemQueueOldestMessageAge = "serverless.durable.work_item_queue.oldest_message_age";
    public const string PoisonMessages = "serverless.durable.poison_messages";

    /// <summary>The span of a submit (a request in Application Insights), tagged <c>job.mode</c> and <c>job.action</c>.</summary>
    public const string SubmitSpan = "job.submit";

    /// <summary>The span of one stage's run (a dependency in Application Insights), tagged <c>job.action</c>.</summary>
    public const string StageSpan = "job.stage";
}
