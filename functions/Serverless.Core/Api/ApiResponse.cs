namespace Serverless.Core.Api;

/// <summary>An HTTP answer in host-neutral form: status, JSON body, and the optional Location / Retry-After.</summary>
public sealed record ApiResponse(int StatusCode, string Json, string? Location = null, TimeSpan? RetryAfter = null)
{
    public const string ContentType = "application/json; charset=utf-8";
}
