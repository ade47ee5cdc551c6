namespace Serverless.EventStream;

/// <summary>
/// A job event as it travels: a CloudEvents 1.0 event. On Event Hubs it uses the AMQP binding's binary mode
/// (attributes as <c>cloudEvents_*</c> application properties, <see cref="Data"/> as the body).
/// </summary>
public sealed record JobEventEnvelope
{
    /// <summary>The CloudEvents version every event is written in: <c>1.0</c>.</summary>
    public const string CurrentSpecVersion = "1.0";

    /// <summary>The content type of <see cref="Data"/>: <c>application/json</c>.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The CloudEvents <c>specversion</c>; default <see cref="CurrentSpecVersion"/>.</summary>
    public string SpecVersion { get; init; } = CurrentSpecVersion;

    /// <summary>Unique per <see cref="Source"/> and stable across re-deliveries: deduplicate on it.</summary>
    public required string Id { get; init; }

    /// <summary>Where events come from (a URI reference); <c>EventStream:Source</c>.</summary>
    public required string Source { get; init; }

    /// <summary>One of <see cref="JobEventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>When the event happened, as the server's clock saw it.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The job id; also the partition key (CloudEvents <c>partitionkey</c> extension).</summary>
    public required string Subject { get; init; }

    /// <summary>The CloudEvents <c>datacontenttype</c>; default <see cref="JsonContentType"/>.</summary>
    public string DataContentType { get; init; } = JsonContentType;

    /// <summary>Extension <c>seq</c>: the job message's seq, when the event has one.</summary>
    public long? Seq { get; init; }

    /// <summary>UTF-8 JSON of <see cref="JobEventData"/>.</summary>
    public required BinaryData Data { get; init; }
}
