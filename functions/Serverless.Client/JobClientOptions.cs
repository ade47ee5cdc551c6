using System.ComponentModel.DataAnnotations;

namespace Serverless.Client;

/// <summary>Where and how a <see cref="JobClient"/> connects.</summary>
public sealed class JobClientOptions
{
    /// <summary>The service's base address, e.g. <c>http://127.0.0.1:5080</c>. Required.</summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>Supplies the bearer token for every HTTP call and (re)connection; null sends none.</summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>
    /// When true, asks <c>POST /api/negotiate</c> for the hub URL and access token (as the Azure deployment
    /// requires); when false (default), connects straight to <see cref="HubPath"/> on <see cref="BaseUrl"/>.
    /// </summary>
    public bool UseNegotiate { get; set; }

    /// <summary>
    /// When true, the connection speaks SignalR's binary MessagePack hub protocol (smaller frames; docs/PROTOCOL.md) instead
    /// of JSON (default). The messages are the same either way.
    /// </summary>
    public bool UseMessagePack { get; set; }

    /// <summary>The hub path used without negotiation. Default <c>/hubs/jobs</c>.</summary>
    public string HubPath { get; set; } = "/hubs/jobs";

    /// <summary>
    /// How long a watch waits for a missing seq, or for any message at all, before it asks the server for the
    /// persisted messages itself (a push can be lost while the service's push path is down). Default 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ResyncAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long automatic reconnection keeps trying before the connection closes and watches fail. Default 2 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ReconnectFor { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Timeout of each HTTP call. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for watch timeouts and reconnect delays. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
