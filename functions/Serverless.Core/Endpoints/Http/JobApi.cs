using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Endpoints.Http;

/// <summary>
/// The HTTP API of both hosts (<c>/api/jobs...</c>) in one place, bounded body read included: hosts authenticate the
/// caller, pass the route's values and write back the <see cref="ApiResponse"/> with <see cref="ApiResponseWriter"/>.
/// </summary>
internal sealed class JobApi(JobRouter router, IOptions<RouterOptions> options)
{
    /// <summary>Request bodies above this are refused before parsing (payload cap plus room for the envelope).</summary>
    private int MaxBodyBytes => options.Value.MaxPayloadBytes + 4096;

    /// <summary>
    /// <c>POST /api/jobs</c>: reads at most <see cref="MaxBodyBytes"/> of <paramref name="body"/> (413 PAYLOAD_TOO_LARGE
    /// beyond, without reading the rest), then answers 200 with the result (sync), 202 with Location (async), or the error.
    /// </summary>
    public async Task<ApiResponse> SubmitAsync(CallerIdentity caller, Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        int limit = MaxBodyBytes;
        return await RequestBody.ReadAsync(body, contentLength, limit, cancellationToken).ConfigureAwait(false) is { } bytes
            ? await SubmitAsync(caller, bytes, cancellationToken).ConfigureAwait(false)
            : RequestBody.TooLarge(limit);
    }

    private async Task<ApiResponse> SubmitAsync(CallerIdentity caller, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        JobRequest request;
        try
        {
            request = JobRequestParser.Parse(body.Span);
        }
        catch (JobException ex)
        {
            return Error(ex.Error);
        }

        JobMessage reply = await router.SubmitAsync(caller, request, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            { Type: MessageTypes.Accepted } => new ApiResponse(202, Json(reply), Location: $"/api/jobs/{reply.JobId}"),
            { Error: { } error } => new ApiResponse(StatusCodeOf(error.Code), Json(reply), RetryAfter: RetryAfterOf(error)),
            _ => new ApiResponse(200, Json(reply)),
        };
    }

    /// <summary><c>GET /api/jobs/{id}</c>.</summary>
    public Task<ApiResponse> GetAsync(CallerIdentity caller, string jobId, CancellationToken cancellationToken) =>
        Answer(async () =>
        {
            JobRecord job = await router.GetOwnedAsync(caller, jobId, cancellationToken).ConfigureAwait(false);
            return new ApiResponse(200, JsonSerializer.Serialize(job.ToView(), ProtocolJson.Default.JobView));
        });

    /// <summary><c>GET /api/jobs/{id}/events?afterSeq=N</c>: the persisted messages after N.</summary>
    public Task<ApiResponse> GetEventsAsync(CallerIdentity caller, string jobId, string? afterSeq, CancellationToken cancellationToken) =>
        Answer(async () =>
        {
            long after = 0;
            if (afterSeq is not null && !long.TryParse(afterSeq, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            {
                throw new JobException(JobError.Validation("afterSeq must be a whole number, 0 or more."));
            }

            IReadOnlyList<JobMessage> messages = await router.ResumeAsync(caller, jobId, after, cancellationToken).ConfigureAwait(false);
            return new ApiResponse(200, JsonSerializer.Serialize([.. messages], ProtocolJson.Default.JobMessageArray));
        });

    /// <summary>
    /// <c>GET /api/jobs/{id}/result?format=json|csv|html</c>: a completed job's result, or the CSV / HTML export
    /// its result carries (<c>csv</c> / <c>html</c> properties, e.g. <c>generate_report</c>, <c>process_data</c>).
    /// </summary>
    public Task<ApiResponse> GetResultAsync(CallerIdentity caller, string jobId, string? format, CancellationToken cancellationToken) =>
        Answer(async () =>
        {
            JobRecord job = await router.GetOwnedAsync(caller, jobId, cancellationToken).ConfigureAwait(false);
            if (job.Status != JobStatus.Completed || job.Result is not { } result)
            {
                throw new JobException(JobError.Validation($"The job has no result: it is {job.Status}."));
            }

            string[] available = ["json", .. ResultExports.Where(e => Export(result, e.Key) is not null).Select(e => e.Key)];
            return (format ?? "json").ToLowerInvariant() switch
            {
                "json" => new ApiResponse(200, result.GetRawText()),
                string name when ResultExports.TryGetValue(name, out string? mediaType) && Export(result, name) is { } text =>
                    new ApiResponse(200, text, ContentType: mediaType),
                _ => throw new JobException(JobError.Validation(
                    $"format must be one of the exports this '{job.Action}' result has: {string.Join(", ", available)}.")),
            };
        });

    /// <summary><c>POST /api/jobs/{id}/cancel</c>: 202 when requested, 200 when the job had already ended.</summary>
    public async Task<ApiResponse> CancelAsync(CallerIdentity caller, string jobId, CancellationToken cancellationToken)
    {
        JobMessage reply = await router.CancelAsync(caller, jobId, cancellationToken).ConfigureAwait(false);
        return reply.Error is { } error
            ? new ApiResponse(StatusCodeOf(error.Code), Json(reply), RetryAfter: RetryAfterOf(error))
            : new ApiResponse(JobStatus.IsTerminal(reply.Status) ? 200 : 202, Json(reply));
    }

    /// <summary><c>GET /api/jobs?status=&amp;limit=</c>: the caller's own jobs, newest first.</summary>
    public Task<ApiResponse> ListAsync(CallerIdentity caller, string? status, string? limit, CancellationToken cancellationToken) =>
        Answer(async () =>
        {
            int count = 20;
            if (limit is not null && !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count))
            {
                throw new JobException(JobError.Validation("limit must be a whole number from 1 to 100."));
            }

            IReadOnlyList<JobRecord> jobs = await router.ListAsync(caller, status, count, cancellationToken).ConfigureAwait(false);
            JobView[] views = [.. jobs.Select(j => j.ToView())];
            return new ApiResponse(200, JsonSerializer.Serialize(views, ProtocolJson.Default.JobViewArray));
        });

    /// <summary>The answer to a request without a valid bearer token.</summary>
    public static ApiResponse Unauthorized() =>
        Error(new JobError(ErrorCodes.Unauthorized, "A valid bearer token is required."));

    /// <summary>The answer for a typed error.</summary>
    public static ApiResponse Error(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ApiResponse(StatusCodeOf(error.Code), Json(JobMessage.ErrorReply(null, error)), RetryAfter: RetryAfterOf(error));
    }

    /// <summary>The HTTP status for an error code.</summary>
    public static int StatusCodeOf(string code) => code switch
    {
        ErrorCodes.ValidationError or ErrorCodes.UnknownAction => 400,
        ErrorCodes.Unauthorized => 401,
        ErrorCodes.NotFound => 404,
        ErrorCodes.DuplicateRequest or ErrorCodes.Cancelled => 409,
        ErrorCodes.PayloadTooLarge => 413,
        ErrorCodes.HandlerFailed => 422,
        ErrorCodes.RateLimited => 429,
        ErrorCodes.ServiceUnavailable => 503,
        ErrorCodes.Timeout => 504,
        _ => 500,
    };

    private static readonly Dictionary<string, string> ResultExports = new(StringComparer.Ordinal)
    {
        ["csv"] = "text/csv; charset=utf-8",
        ["html"] = "text/html; charset=utf-8",
    };

    private static string? Export(JsonElement result, string property) =>
        result.ValueKind == JsonValueKind.Object && result.TryGetProperty(property, out JsonElement text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;

    private static async Task<ApiResponse> Answer(Func<Task<ApiResponse>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (JobException ex)
        {
            return Error(ex.Error);
        }
    }

    private static TimeSpan? RetryAfterOf(JobError error) =>
        error.RetryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    private static string Json(JobMessage message) => JsonSerializer.Serialize(message, ProtocolJson.Default.JobMessage);
}
