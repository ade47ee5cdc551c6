using System.ComponentModel.DataAnnotations;

namespace Serverless.LocalHost.Hubs;

/// <summary>The local SignalR hub. Section <c>Hub</c>.</summary>
internal sealed class HubOptions
{
    public const string Section = "Hub";

    /// <summary>
    /// The origin clients reach this host at (e.g. behind a proxy), used in negotiate answers; default none: the
    /// address the host listens on. The request's Host header is never used, so it cannot be reflected.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Hub connections one user may hold at once on this host; default 20. Further ones are closed at connect.</summary>
    [Range(1, 100_000)]
    public int MaxConnectionsPerUser { get; set; } = 20;
}
