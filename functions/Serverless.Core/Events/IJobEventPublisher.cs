using Serverless.EventStream;

namespace Serverless.Core.Events;

/// <summary>Sends outbox events to the stream's broker; only the shipper calls it, never a job.</summary>
internal interface IJobEventPublisher
{
    /// <summary>Sends every event, each job's in the given order; throws when any could not be sent (all are then re-sent).</summary>
    Task PublishAsync(IReadOnlyList<JobEventEnvelope> events, CancellationToken cancellationToken);
}
