using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Routing;

/// <summary>Per-user limits. Section <c>Limits</c>.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Sustained submits per second per user, per host instance; default 20.</summary>
    [Range(0.01, 1_000_000)]
    public double RequestsPerSecond { get; set; } = 20;

    /// <summary>Submits a user may make at once before the rate applies; default 40.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 40;

    /// <summary>Async jobs a user may have queued or running; default 50.</summary>
    [Range(1, 100_000)]
    public int MaxActiveJobsPerUser { get; set; } = 50;
}
