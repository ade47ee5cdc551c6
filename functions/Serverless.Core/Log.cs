using Microsoft.Extensions.Logging;

namespace Serverless.Core;

/// <summary>
/// Every log event Core writes, in one place so each has its own event id: a hundred per feature folder, in the
/// order below. A new event takes the next free id of its folder's range.
/// </summary>
internal static partial class Log
{
    // Storage: 100–199
    [LoggerMessage(101, LogLevel.Information, "Storage ready: tables {Tables}; containers {Containers}")]
    public static partial void Created(ILogger logger, string tables, string containers);

    [LoggerMessage(102, LogLevel.Error, "Could not create the storage tables and containers; retrying in {DelaySeconds} s")]
    public static partial void CreationFailed(ILogger logger, double delaySeconds, Exception exception);

    // Routing: 200–299
    [LoggerMessage(201, LogLevel.Warning, "Sync handler {Action} failed")]
    public static partial void SyncHandlerFailed(ILogger logger, Exception exception, string action);

    [LoggerMessage(202, LogLevel.Error, "Could not schedule job {JobId}")]
    public static partial void ScheduleFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(203, LogLevel.Error, "Could not remove job {JobId} after scheduling failed")]
    public static partial void UndoCreateFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(204, LogLevel.Warning, "Handler {Action} threw while validating a payload; answered VALIDATION_ERROR")]
    public static partial void PayloadValidationThrew(ILogger logger, Exception exception, string action);

    [LoggerMessage(205, LogLevel.Warning, "Could not share action durations; routing uses this instance's samples meanwhile")]
    public static partial void SyncFailed(ILogger logger, Exception exception);

    // Jobs: 300–399
    [LoggerMessage(301, LogLevel.Warning, "Could not flush progress of job {JobId} after its stage failed")]
    public static partial void FinalFlushFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(302, LogLevel.Information, "Job {JobId} retry {Run} from stage {Stage} started by operator {OperatorId}")]
    public static partial void Retried(ILogger logger, string jobId, int run, string stage, string operatorId);

    [LoggerMessage(303, LogLevel.Warning, "The orchestration backend failed during a job retry")]
    public static partial void RetryBackendFailed(ILogger logger, Exception exception);

    // Progress: 400–499
    [LoggerMessage(401, LogLevel.Warning, "Progress flush for job {JobId} failed; retrying next window")]
    public static partial void FlushFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(402, LogLevel.Warning, "Could not check job {JobId} for cancellation")]
    public static partial void CancellationCheckFailed(ILogger logger, Exception exception, string jobId);

    // Notifications: 500–599
    [LoggerMessage(501, LogLevel.Warning, "Push of job {JobId} seq {Seq} failed; the client gets it on resume")]
    public static partial void PushFailed(ILogger logger, Exception exception, string? jobId, long? seq);

    // Operators: 600–699
    [LoggerMessage(601, LogLevel.Warning, "Operators' feed copy of job {JobId} failed")]
    public static partial void FeedFailed(ILogger logger, Exception exception, string? jobId);

    [LoggerMessage(602, LogLevel.Warning, "Could not read the operator controls; the last known ones stay in force")]
    public static partial void OperatorControlsReadFailed(ILogger logger, Exception exception);

    // Events: 700–799
    [LoggerMessage(701, LogLevel.Error, "Event {EventId} is larger than an Event Hubs batch and was skipped")]
    public static partial void TooLarge(ILogger logger, string eventId);

    [LoggerMessage(702, LogLevel.Warning, "Shipping job events failed; they stay in the outbox and are retried")]
    public static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(703, LogLevel.Information, "Outbox retention deleted {Count} event(s) of the hour from {Bucket}")]
    public static partial void Retained(ILogger logger, int count, DateTimeOffset bucket);

    [LoggerMessage(704, LogLevel.Warning, "Event outbox write failed; retrying ({Queued} event(s) queued in memory)")]
    public static partial void OutboxWriteFailed(ILogger logger, Exception exception, int queued);

    [LoggerMessage(705, LogLevel.Error, "Event queue full: {Dropped} event(s) dropped so far (the jobs themselves are unaffected)")]
    public static partial void Dropped(ILogger logger, long dropped);

    [LoggerMessage(706, LogLevel.Error, "Stopped with {Count} event(s) not yet written to the outbox")]
    public static partial void LostAtShutdown(ILogger logger, int count);

    // SignalRService: 800–899
    [LoggerMessage(801, LogLevel.Debug, "Azure SignalR Service {Path} call failed ({Outcome}); retry {Attempt} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string path, int attempt, double delayMs, string outcome);

    [LoggerMessage(802, LogLevel.Warning, "Azure SignalR Service {Path} breaker opened for {Seconds} s after repeated failures ({Outcome}); calls fail fast meanwhile")]
    public static partial void BreakerOpened(ILogger logger, string path, double seconds, string outcome);

    [LoggerMessage(803, LogLevel.Information, "Azure SignalR Service {Path} breaker closed; calls flow again")]
    public static partial void BreakerClosed(ILogger logger, string path);

    [LoggerMessage(804, LogLevel.Information, "Closed connection {ConnectionId}: user {UserId} already holds {Max} connections")]
    public static partial void ConnectionOverCap(ILogger logger, string connectionId, string userId, int max);

    [LoggerMessage(805, LogLevel.Warning, "Could not apply the connection cap to connection {ConnectionId}; it stays open")]
    public static partial void ConnectionCapFailed(ILogger logger, Exception exception, string connectionId);

    // Endpoints: 900–999
    [LoggerMessage(901, LogLevel.Warning, "Rejected an upstream {Category}/{Event} call with a missing or wrong signature")]
    public static partial void SignatureRejected(ILogger logger, string category, string @event);

    [LoggerMessage(902, LogLevel.Debug, "Connection {ConnectionId} of user {UserId} connected")]
    public static partial void Connected(ILogger logger, string connectionId, string? userId);

    [LoggerMessage(903, LogLevel.Debug, "Connection {ConnectionId} of user {UserId} disconnected")]
    public static partial void Disconnected(ILogger logger, string connectionId, string? userId);

    [LoggerMessage(904, LogLevel.Information, "Refused upstream invocation of {Target}: {Reason}")]
    public static partial void InvocationRefused(ILogger logger, string target, string reason);

    [LoggerMessage(905, LogLevel.Warning, "Refused upstream {Event} on connection {ConnectionId}: the user id is not the one the connection was opened with")]
    public static partial void UserMismatch(ILogger logger, string @event, string connectionId);

    [LoggerMessage(906, LogLevel.Error, "Could not record or check the owner of connection {ConnectionId}")]
    public static partial void ConnectionRecordFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(907, LogLevel.Information, "Connection {ConnectionId} of operator {UserId} joined the operators' feed")]
    public static partial void JoinedOperatorFeed(ILogger logger, string connectionId, string userId);

    [LoggerMessage(908, LogLevel.Error, "Connection {ConnectionId} could not join the operators' feed")]
    public static partial void OperatorFeedJoinFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(909, LogLevel.Warning, "Refused an upstream invocation of {Target} with content type {ContentType}: not a hub protocol this hub speaks")]
    public static partial void UnsupportedContentType(ILogger logger, string target, string contentType);

    // History: 1000–1099
    [LoggerMessage(1001, LogLevel.Warning, "Writing {Count} minutes of job history failed; they are kept for the next write")]
    public static partial void WriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(1002, LogLevel.Warning, "Deleting old job history failed; the next hour tries again")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);

    // Capacity: 1100–1199
    [LoggerMessage(1101, LogLevel.Warning, "Sampling the task hub's queues failed; the capacity gauges keep the last sample")]
    public static partial void SampleFailed(ILogger logger, Exception exception);

    // Retention: 1200–1299
    [LoggerMessage(1201, LogLevel.Information, "Retention deleted {Jobs} job(s) and {Instances} orchestration instance(s) finished before {Cutoff}")]
    public static partial void Purged(ILogger logger, int jobs, int instances, DateTimeOffset cutoff);

    [LoggerMessage(1202, LogLevel.Warning, "Retention could not delete job {JobId}")]
    public static partial void DeleteFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(1203, LogLevel.Warning, "The retention run failed; the next one tries again")]
    public static partial void RunFailed(ILogger logger, Exception exception);
}
