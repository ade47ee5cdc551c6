using System.Text.Json;
using Serverless.Core.Diagnostics;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Protocol;

namespace Serverless.Core.Endpoints.Hub;

/// <summary>
/// The hub methods of both hosts (the local SignalR hub and the Azure SignalR upstream): <c>submit</c>, <c>cancel</c> and
/// <c>resume</c> from raw JSON arguments, so a malformed or mistyped argument is a typed error message, never an exception.
/// </summary>
internal sealed class JobHubEndpoint(JobRouter router, ServerlessMetrics metrics)
{
    /// <summary>Answers <c>accepted</c>, <c>result</c> or <c>error</c>.</summary>
    public Task<JobMessage> SubmitAsync(CallerIdentity caller, JsonElement request, CancellationToken cancellationToken)
    {
        JobRequest parsed;
        try
        {
            parsed = JobRequestParser.Parse(request);
        }
        catch (JobException ex)
        {
            metrics.RequestsRejected.Add(1, new KeyValuePair<string, object?>("code", ex.Error.Code));
            return Task.FromResult(JobMessage.ErrorReply(null, ex.Error));
        }

        return router.SubmitAsync(caller, parsed, cancellationToken);
    }

    /// <summary>Answers the job's <c>status</c> or an <c>error</c>.</summary>
    public async Task<JobMessage> CancelAsync(CallerIdentity caller, JsonElement jobId, CancellationToken cancellationToken)
    {
        try
        {
            return await router.CancelAsync(caller, JobId(jobId), cancellationToken).ConfigureAwait(false);
        }
        catch (JobException ex)
        {
            return JobMessage.ErrorReply(null, ex.Error);
        }
    }

    /// <summary>Every persisted message after <paramref name="afterSeq"/>, oldest first; or one <c>error</c> message.</summary>
    public async Task<JobMessage[]> ResumeAsync(CallerIdentity caller, JsonElement jobId, JsonElement afterSeq, CancellationToken cancellationToken)
    {
        try
        {
            return [.. await router.ResumeAsync(caller, JobId(jobId), AfterSeq(afterSeq), cancellationToken).ConfigureAwait(false)];
        }
        catch (JobException ex)
        {
            return [JobMessage.ErrorReply(null, ex.Error)];
        }
    }

    private static string JobId(JsonElement value) =>
        value.ValueKind != JsonValueKind.String ? throw new JobException(JobError.Validation("jobId must be a string."))
            : JsonText.TryGetString(value) ?? throw new JobException(JsonText.InvalidTextError("jobId"));

    private static long AfterSeq(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long seq) && seq >= 0
            ? seq
            : throw new JobException(JobError.Validation("afterSeq must be a whole number, 0 or more."));
}
