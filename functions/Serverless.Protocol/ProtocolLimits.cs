namespace Serverless.Protocol;

/// <summary>Fixed limits of protocol v1.</summary>
public static class ProtocolLimits
{
    /// <summary>Deepest JSON nesting accepted anywhere in a request.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>
    /// Deepest JSON nesting of a whole hub message that reaches the router, as the SignalR JSON hub protocol parses it
    /// (64): deeper requests within it get a typed VALIDATION_ERROR from the router, over the local hub and the upstream alike.
    /// </summary>
    public const int MaxHubMessageDepth = 64;

    /// <summary>
    /// Largest hub message read whole (1 MiB), over the local hub and the upstream alike: a request within it whose
    /// payload is over the router's cap gets a typed PAYLOAD_TOO_LARGE from the router.
    /// </summary>
    public const int MaxHubMessageBytes = 1024 * 1024;

    /// <summary>Longest request id.</summary>
    public const int MaxRequestIdLength = 128;

    /// <summary>Longest action name.</summary>
    public const int MaxActionLength = 64;
}
