using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Routing;

/// <summary>How the router decides and limits. Section <c>Router</c>.</summary>
public sealed class RouterOptions
{
    /// <summary>The configuration section these options bind from: <c>Router</c>.</summary>
    public const string Section = "Router";

    /// <summary>Actions estimated to take longer than this run async; default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SyncThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A sync request still running after this is answered TIMEOUT and cancelled; default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:03:50")]
    public TimeSpan SyncTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Observed durations kept per action for its p95; default 100.</summary>
    [Range(1, 10_000)]
    public int DurationWindow { get; set; } = 100;

    /// <summary>Samples needed before the observed p95 can route an action; default 5.</summary>
    [Range(1, 10_000)]
    public int MinimumSamples { get; set; } = 5;

    /// <summary>An action routed async by observation returns to sync once its p95 is below this share of the threshold; default 0.5.</summary>
    [Range(0.0, 1.0)]
    public double ReturnToSyncFactor { get; set; } = 0.5;

    /// <summary>How often observed durations are shared with other instances through Table storage; default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan StatisticsSyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest payload accepted, in UTF-8 bytes; default 64 KiB.</summary>
    [Range(1, 4 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 64 * 1024;
}
