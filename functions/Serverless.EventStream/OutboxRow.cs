namespace Serverless.EventStream;

/// <summary>One outbox row: where it is stored and the event it holds.</summary>
internal sealed record OutboxRow(string PartitionKey, string RowKey, JobEventEnvelope Envelope);
