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
}
