using System.Runtime.InteropServices;
using System.Text.Json;

namespace Serverless.Protocol;

/// <summary>Checks the shape of a request before anything is stored or run.</summary>
public static class RequestValidator
{
    /// <summary>Throws <see cref="JobException"/> with VALIDATION_ERROR or PAYLOAD_TOO_LARGE for a malformed request.</summary>
    public static void Validate(JobRequest? request, int maxPayloadBytes)
    {
        if (request is null)
        {
            throw new JobException(JobError.Validation("The request body is missing."));
        }

        ValidateRequestId(request.RequestId);
        ValidateAction(request.Action);

        if (request.Priority is not null && JobPriority.Parse(request.Priority) is null)
        {
            throw new JobException(JobError.Validation("priority must be one of: low, normal, high."));
        }

        if (request.Payload.ValueKind != JsonValueKind.Undefined)
        {
            int size = MeasureUtf8(request.Payload);
            if (size > maxPayloadBytes)
            {
                throw new JobException(new JobError(
                    ErrorCodes.PayloadTooLarge,
                    $"The payload is {size} bytes; the limit is {maxPayloadBytes}."));
            }
        }
    }

    /// <summary>Throws VALIDATION_ERROR unless <paramref name="requestId"/> is 1–128 of <c>[A-Za-z0-9._-]</c>.</summary>
    public static void ValidateRequestId(string? requestId)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            throw new JobException(JobError.Validation("requestId is required."));
        }

        if (requestId.Length > ProtocolLimits.MaxRequestIdLength || !IsSafeToken(requestId))
        {
            throw new JobException(JobError.Validation(
                $"requestId must be 1–{ProtocolLimits.MaxRequestIdLength} characters of A-Z, a-z, 0-9, '.', '_' or '-'."));
        }
    }

    /// <summary>Throws VALIDATION_ERROR for a job id that cannot be one this service issued.</summary>
    public static void ValidateJobId(string? jobId)
    {
        if (string.IsNullOrEmpty(jobId) || jobId.Length > 64 || !IsSafeToken(jobId))
        {
            throw new JobException(JobError.Validation("jobId is not a valid job id."));
        }
    }

    internal static void ValidateAction(string? action)
    {
        if (string.IsNullOrEmpty(action))
        {
            throw new JobException(JobError.Validation("action is required."));
        }

        if (action.Length > ProtocolLimits.MaxActionLength || !IsSafeToken(action))
        {
            throw new JobException(JobError.Validation(
                $"action must be 1–{ProtocolLimits.MaxActionLength} characters of A-Z, a-z, 0-9, '.', '_' or '-'."));
        }
    }

    private static bool IsSafeToken(string value)
    {
        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    // The element's own UTF-8 text, as received: no copy, no allocation.
    private static int MeasureUtf8(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).Length;
}
