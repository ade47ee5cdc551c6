using Azure.Messaging.EventHubs;

namespace Serverless.Core.Tests.Events;

/// <summary>One batch the fake Event Hubs received.</summary>
internal sealed record SentBatch(string PartitionId, IReadOnlyList<EventData> Events, long Bytes, long MaxBytes)
{
    public double Fill => (double)Bytes / MaxBytes;
}
