using System.ComponentModel.DataAnnotations;

namespace Serverless.EventStream;

/// <summary>
/// The job event stream. Section <c>EventStream</c>. Events always go to the outbox table first; with
/// <see cref="FullyQualifiedNamespace"/> or <see cref="ConnectionString"/> set they are shipped to Event Hubs,
/// otherwise they stay in the outbox for <see cref="OutboxRetention"/> and are read from there.
/// </summary>
public sealed class EventStreamOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind from: <c>EventStream</c>.</summary>
    public const string Section = "EventStream";

    /// <summary>Event Hubs namespace host (<c>name.servicebus.windows.net</c>), used with managed identity.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>Event Hubs connection string (local or key-based setups); wins over the namespace.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The event hub; may be omitted when the connection string has <c>EntityPath</c>.</summary>
    public string? EventHubName { get; set; }

    /// <summary>Consumer group the reader uses; default <c>$Default</c>.</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "$Default";

    /// <summary>The CloudEvents <c>source</c>; default <c>/serverless/jobs</c>.</summary>
    [Required]
    public string Source { get; set; } = "/serverless/jobs";

    /// <summary>Outbox table; default <c>jobevents</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string OutboxTable { get; set; } = "jobevents";

    /// <summary>Outbox partitions per hour; a job always maps to one. Raises the ~2,000 rows/s per-partition ceiling; default 4.</summary>
    [Range(1, 64)]
    public int OutboxShards { get; set; } = 4;

    /// <summary>How long events stay in the outbox when not shipped to Event Hubs; default 7 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Events held in memory on their way to the outbox; beyond this new events are dropped (and counted); default 100,000.</summary>
    [Range(100, 10_000_000)]
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Outbox rows read per shard per shipping pass; default 1,000 (one Table page).</summary>
    [Range(1, 1000)]
    public int ShipBatchSize { get; set; } = 1000;

    /// <summary>
    /// How long the outbox writer gathers events before writing them, so the events of a job (and of every job in
    /// the same shard) share one transaction instead of one each; default 1 s. 0 writes each event as it comes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan WriteInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an idle shipper or tail looks for new rows; default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How late a row may land behind newer ones (a write in flight, clock skew between instances). The shipper
    /// leaves an hour's partition only this long after the hour ends, and the outbox tail re-reads this far back.
    /// Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest Event Hubs batch in bytes; null = what the link allows (1 MB on standard).</summary>
    [Range(1024L, 104_857_600L)]
    public long? MaxBatchBytes { get; set; }

    /// <summary>Retries per batch send, with exponential backoff and jitter; default 4.</summary>
    [Range(0, 20)]
    public int PublishRetries { get; set; } = 4;

    /// <summary>Timeout of one send attempt; default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open after repeated send failures; default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether events are shipped to Event Hubs (else the outbox is the stream).</summary>
    public bool UsesEventHubs => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(FullyQualifiedNamespace);

    /// <summary>Checks the settings that depend on each other (e.g. a hub name wherever Event Hubs is used); options validation calls it at start.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        bool entityInConnectionString = ConnectionString?.Contains("EntityPath=", StringComparison.OrdinalIgnoreCase) == true;
        if (UsesEventHubs && string.IsNullOrWhiteSpace(EventHubName) && !entityInConnectionString)
        {
            yield return new ValidationResult(
                "EventStream:EventHubName must be set with EventStream:FullyQualifiedNamespace (or a connection string without EntityPath).",
                [nameof(EventHubName)]);
        }

        if (!string.IsNullOrWhiteSpace(FullyQualifiedNamespace) && FullyQualifiedNamespace.Contains("://", StringComparison.Ordinal))
        {
            yield return new ValidationResult(
                "EventStream:FullyQualifiedNamespace is a host name (name.servicebus.windows.net), not a URL.", [nameof(FullyQualifiedNamespace)]);
        }

        if (!Uri.TryCreate(Source, UriKind.RelativeOrAbsolute, out _))
        {
            yield return new ValidationResult("EventStream:Source must be a URI reference.", [nameof(Source)]);
        }
    }
}
