namespace Serverless.Core.Api;

/// <summary>An HTTP answer in host-neutral form: status, body and its media type, and the optional Location / Retry-After.</summary>
public sealed record ApiResponse(int StatusCode, string Body, string? Location = null, TimeSpan? RetryAfter = null, string ContentType = ApiResponse.JsonContentType)
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>A binary body (e.g. a MessagePack completion), written instead of <see cref="Body"/> when set.</summary>
    public ReadOnlyMemory<byte>? BinaryBody { get; init; }
}
