using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Routing;

/// <summary>How the router decides and limits. Section <c>Router</c>.</summary>
public sealed class RouterOptions
{
    public const string Section = "Router";

    /// <summary>Actions estimated to take longer than this run async; default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SyncThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A sync request still running after this is answered TIMEOUT and cancelled; default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:03:50")]
    public TimeSpan SyncTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest payload accepted, in UTF-8 bytes; default 64 KiB.</summary>
    [Range(1, 4 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 64 * 1024;
}
