namespace Serverless.Protocol;

/// <summary>The closed set of error codes the protocol uses.</summary>
public static class ErrorCodes
{
    /// <summary>The request or its payload is malformed.</summary>
    public const string ValidationError = "VALIDATION_ERROR";

    /// <summary>No handler is registered for the action.</summary>
    public const string UnknownAction = "UNKNOWN_ACTION";

    /// <summary>The request is over the size limit.</summary>
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";

    /// <summary>No valid bearer token, or the caller lacks the role the call needs.</summary>
    public const string Unauthorized = "UNAUTHORIZED";

    /// <summary>No such job, or not the caller's.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>Too many requests or active jobs; retry after <see cref="JobError.RetryAfterMs"/>.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>The request id was already used for another action; send a new one.</summary>
    public const string DuplicateRequest = "DUPLICATE_REQUEST";

    /// <summary>A sync handler overran its deadline and was stopped.</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>Storage or the Durable backend is unreachable and nothing was created; retry with the same request id.</summary>
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";

    /// <summary>The handler failed (for an async job, after all its retries).</summary>
    public const string HandlerFailed = "HANDLER_FAILED";

    /// <summary>The job was cancelled.</summary>
    public const string Cancelled = "CANCELLED";

    /// <summary>An unexpected server error (a bug).</summary>
    public const string Internal = "INTERNAL";

    /// <summary>Every code, for schema and documentation checks.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ValidationError, UnknownAction, PayloadTooLarge, Unauthorized, NotFound, RateLimited,
        DuplicateRequest, Timeout, ServiceUnavailable, HandlerFailed, Cancelled, Internal,
    ];
}
