namespace Serverless.Core.Protocol;

/// <summary>Fixed limits of protocol v1.</summary>
public static class ProtocolLimits
{
    /// <summary>Deepest JSON nesting accepted anywhere in a request.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Longest request id.</summary>
    public const int MaxRequestIdLength = 128;

    /// <summary>Longest action name.</summary>
    public const int MaxActionLength = 64;
}
