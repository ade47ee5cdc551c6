using System.Text.Json;

namespace Serverless.Protocol;

/// <summary>A typed error: a code from <see cref="ErrorCodes"/>, a readable message and whether retrying can help.</summary>
/// <param name="Code">One of <see cref="ErrorCodes"/>.</param>
/// <param name="Message">What went wrong, for people; not meant to be parsed.</param>
/// <param name="Retryable">Whether sending the same request again later can succeed.</param>
public sealed record JobError(string Code, string Message, bool Retryable = false)
{
    /// <summary>How long the caller should wait before retrying, when the server knows.</summary>
    public long? RetryAfterMs { get; init; }

    /// <summary>Structured details, e.g. the offending field.</summary>
    public JsonElement? Details { get; init; }

    /// <summary>A VALIDATION_ERROR (not retryable) with <paramref name="message"/>.</summary>
    public static JobError Validation(string message) => new(ErrorCodes.ValidationError, message);

    /// <summary>A NOT_FOUND for a job that does not exist or is not the caller's.</summary>
    public static JobError NotFound() => new(ErrorCodes.NotFound, "No such job.");

    /// <summary>A retryable SERVICE_UNAVAILABLE with <paramref name="message"/>.</summary>
    public static JobError Unavailable(string message) => new(ErrorCodes.ServiceUnavailable, message, Retryable: true);
}
