using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Routing;

/// <summary>Per-user limits. Section <c>Limits</c>.</summary>
public sealed class LimitsOptions
{
    /// <summary>The configuration section these options bind from: <c>Limits</c>.</summary>
    public const string Section = "Limits";

    /// <summary>Sustained submits per second per user, per host instance; default 20.</summary>
    [Range(0.01, 1_000_000)]
    public double RequestsPerSecond { get; set; } = 20;

    /// <summary>Submits a user may make at once before the rate applies; default 40.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 40;

    /// <summary>Sustained reads (get, list, events, resume, cancel) per second per user, per host instance; default 50.</summary>
    [Range(0.01, 1_000_000)]
    public double ReadsPerSecond { get; set; } = 50;

    /// <summary>Reads a user may make at once before <see cref="ReadsPerSecond"/> applies; default 200.</summary>
    [Range(1, 1_000_000)]
    public int ReadBurst { get; set; } = 200;

    /// <summary>Async jobs a user may have queued or running; default 50.</summary>
    [Range(1, 100_000)]
    public int MaxActiveJobsPerUser { get; set; } = 50;

    /// <summary>
    /// Real-time connections one user may hold at once; default 20. A further one is closed at connect, with the reason;
    /// a slot frees when one closes. Per host on the local hub; across every instance on the Azure path.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConnectionsPerUser { get; set; } = 20;
}
