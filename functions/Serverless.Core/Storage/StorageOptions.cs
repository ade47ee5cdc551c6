using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Storage;

/// <summary>Where job state lives. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options bind from: <c>Storage</c>.</summary>
    public const string Section = "Storage";

    /// <summary>Storage account connection string; default <c>UseDevelopmentStorage=true</c> (Azurite).</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>The account's table endpoint, used with managed identity; when set it wins over the connection string.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The account's blob endpoint, used with managed identity; when set it wins over the connection string.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The account's queue endpoint (where the Durable task hub's queues are watched), used with managed identity; when set it wins over the connection string.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Job state and events; default <c>jobs</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string JobsTable { get; set; } = "jobs";

    /// <summary>Per-owner index for listing; default <c>userjobs</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string UserJobsTable { get; set; } = "userjobs";

    /// <summary>Observed action durations shared by all instances for routing; default <c>routestats</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string RouteStatisticsTable { get; set; } = "routestats";

    /// <summary>Owner of each Azure SignalR connection, recorded by the upstream; default <c>connections</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string ConnectionsTable { get; set; } = "connections";

    /// <summary>Operator controls every instance obeys (paused actions, push circuit override); default <c>operatorcontrols</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string OperatorControlsTable { get; set; } = "operatorcontrols";

    /// <summary>Blob container for values too large for a Table property; default <c>job-payloads</c>.</summary>
    [RegularExpression("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")]
    public string LargeValueContainer { get; set; } = "job-payloads";

    /// <summary>Per-request network timeout; default 5 s. Bounds how long a call can hang in an outage.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries per call, with exponential backoff and jitter; default 3.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;
}
