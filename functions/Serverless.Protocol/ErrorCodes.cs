namespace Serverless.Protocol;

/// <summary>The closed set of error codes the protocol uses.</summary>
public static class ErrorCodes
{
    public const string ValidationError = "VALIDATION_ERROR";
    public const string UnknownAction = "UNKNOWN_ACTION";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string NotFound = "NOT_FOUND";
    public const string RateLimited = "RATE_LIMITED";
    public const string DuplicateRequest = "DUPLICATE_REQUEST";
    public const string Timeout = "TIMEOUT";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
    public const string HandlerFailed = "HANDLER_FAILED";
    public const string Cancelled = "CANCELLED";
    public const string Internal = "INTERNAL";

    /// <summary>Every code, for schema and documentation checks.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ValidationError, UnknownAction, PayloadTooLarge, Unauthorized, NotFound, RateLimited,
        DuplicateRequest, Timeout, ServiceUnavailable, HandlerFailed, Cancelled, Internal,
    ];
}
