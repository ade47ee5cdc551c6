using System.Text.Json;

namespace Serverless.Protocol;

/// <summary>A typed error: a code from <see cref="ErrorCodes"/>, a readable message and whether retrying can help.</summary>
public sealed record JobError(string Code, string Message, bool Retryable = false)
{
    /// <summary>How long the caller should wait before retrying, when the server knows.</summary>
    public long? RetryAfterMs { get; init; }

    /// <summary>Structured details, e.g. the offending field.</summary>
    public JsonElement? Details { get; init; }

    public static JobError Validation(string message) => new(ErrorCodes.ValidationError, message);

    public static JobError NotFound() => new(ErrorCodes.NotFound, "No such job.");

    public static JobError Unavailable(string message) => new(ErrorCodes.ServiceUnavailable, message, Retryable: true);
}
