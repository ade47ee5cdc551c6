using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Core.Handlers;
using Serverless.Core.Operators;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Endpoints.Http;

/// <summary>
/// The operators' controls of both hosts (<c>/api/operators/...</c>): cancel any job, pause and resume intake per action,
/// hold the push circuit, list any owner's jobs. Hosts pass the caller's validated claims; only the operator role
/// (<see cref="OperatorAccess"/>) may act, and every control is recorded with the operator's id.
/// </summary>
internal sealed class OperatorApi(JobRouter router, OperatorControls controls, HandlerRegistry handlers, IOptions<OperatorOptions> options)
{
    private const int DefaultListLimit = 20;
    private const int MaxListLimit = 100;
    private const int MaxBodyBytes = 1024;

    /// <summary><c>GET /api/operators/controls</c>: the paused actions and the push circuit override in force.</summary>
    public Task<ApiResponse> ControlsAsync(IEnumerable<Claim>? validatedClaims, CancellationToken cancellationToken) =>
        AsOperator(validatedClaims, async _ => Controls(await controls.CurrentAsync(cancellationToken).ConfigureAwait(false)));

    /// <summary><c>POST /api/operators/jobs/{id}/cancel</c>: as the owner's cancel (202 requested, 200 already ended), for any owner's job.</summary>
    public Task<ApiResponse> CancelAsync(IEnumerable<Claim>? validatedClaims, string jobId, CancellationToken cancellationToken) =>
        AsOperator(validatedClaims, async operatorCaller =>
        {
            JobMessage reply = await router.CancelAsOperatorAsync(operatorCaller, jobId, cancellationToken).ConfigureAwait(false);
            return reply.Error is { } error
                ? JobApi.Error(error)
                : new ApiResponse(JobStatus.IsTerminal(reply.Status) ? 200 : 202, JsonSerializer.Serialize(reply, ProtocolJson.Default.JobMessage));
        });

    /// <summary><c>POST /api/operators/actions/{action}/pause</c>: new submits of the action get SERVICE_UNAVAILABLE; running jobs finish.</summary>
    public Task<ApiResponse> PauseAsync(IEnumerable<Claim>? validatedClaims, string action, CancellationToken cancellationToken) =>
        AsOperator(validatedClaims, async operatorCaller =>
            Controls(await controls.PauseAsync(Registered(action), operatorCaller.OwnerId, cancellationToken).ConfigureAwait(false)));

    /// <summary><c>POST /api/operators/actions/{action}/resume</c>: the action is accepted again.</summary>
    public Task<ApiResponse> ResumeAsync(IEnumerable<Claim>? validatedClaims, string action, CancellationToken cancellationToken) =>
        AsOperator(validatedClaims, async operatorCaller =>
            Controls(await controls.ResumeAsync(Registered(action), operatorCaller.OwnerId, cancellationToken).ConfigureAwait(false)));

    /// <summary>
    /// <c>POST /api/operators/push-circuit</c> with <c>{"state":"open"|"closed","minutes":N}</c>: holds the push circuit
    /// for 1–<see cref="OperatorOptions.MaxPushCircuitMinutes"/> minutes, then the breaker decides again;
    /// <c>{"state":"automatic"}</c> hands it back to the breaker at once.
    /// </summary>
    public Task<ApiResponse> ForcePushCircuitAsync(IEnumerable<Claim>? validatedClaims, Stream body, long? contentLength, CancellationToken cancellationToken) =>
        AsOperator(validatedClaims, async operatorCaller =>
        {
            if (await RequestBody.ReadAsync(body, contentLength, MaxBodyBytes, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                return RequestBody.TooLarge(MaxBodyBytes);
            }

            (bool? open, int minutes) = ParsePushCircuit(bytes);
            return Controls(await controls.ForcePushCircuitAsync(open, TimeSpan.FromMinutes(minutes), operatorCaller.OwnerId, cancellationToken).ConfigureAwait(false));
        });

    /// <summary>
    /// <c>GET /api/operators/jobs?user=&amp;action=&amp;status=&amp;from=&amp;to=&amp;limit=</c>: any owner's jobs, newest first;
    /// <c>user</c> is the owner id as the list shows it, <c>from</c>/<c>to</c> bound the creation time (ISO 8601).
    /// </summary>
    public Task<ApiResponse> ListAsync(
        IEnumerable<Claim>? validatedClaims, string? user, string? action, string? status, string? from, string? to, string? limit, CancellationToken cancellationToken) =>
        AsOperator(validatedClaims, async _ =>
        {
            JobQuery query = ParseQuery(user, action, status, from, to, limit);
            (IReadOnlyList<JobRecord> jobs, bool complete) = await router.QueryAsOperatorAsync(query, cancellationToken).ConfigureAwait(false);
            var list = new OperatorJobList([.. jobs.Select(j => new OperatorJobView(j.OwnerId, j.ToView() with { Result = null }))], complete);
            return new ApiResponse(200, JsonSerializer.Serialize(list, ProtocolJson.Default.OperatorJobList));
        });

    private JobQuery ParseQuery(string? user, string? action, string? status, string? from, string? to, string? limit)
    {
        if (user is not null && !CallerIdentity.TryFromOwnerId(user, out _))
        {
            throw new JobException(JobError.Validation("user must be an owner id as the job list shows it."));
        }

        if (action is not null)
        {
            RequestValidator.ValidateAction(action);
        }

        if (status is not null && !JobStatus.All.Contains(status))
        {
            throw new JobException(JobError.Validation($"status must be one of: {string.Join(", ", JobStatus.All)}."));
        }

        int count = DefaultListLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxListLimit))
        {
            throw new JobException(JobError.Validation($"limit must be a whole number from 1 to {MaxListLimit}."));
        }

        DateTimeOffset? since = Time(from, "from");
        DateTimeOffset? until = Time(to, "to");
        if (since > until)
        {
            throw new JobException(JobError.Validation("from must not be later than to."));
        }

        return new JobQuery
        {
            OwnerId = user,
            Action = action,
            Status = status,
            From = since,
            To = until,
            Limit = count,
            MaxScan = options.Value.MaxListScan,
        };
    }

    private static DateTimeOffset? Time(string? text, string name) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at
        : throw new JobException(JobError.Validation($"{name} must be an ISO 8601 time, e.g. 2026-11-30T05:00:00Z."));

    private (bool? Open, int Minutes) ParsePushCircuit(byte[] body)
    {
        int max = options.Value.MaxPushCircuitMinutes;
        PushCircuitRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, ProtocolJson.Default.PushCircuitRequest);
        }
        catch (JsonException)
        {
            request = null;
        }

        return request switch
        {
            null => throw new JobException(JobError.Validation("The body must be JSON: {\"state\":\"open\"|\"closed\"|\"automatic\",\"minutes\":N}.")),
            { State: "automatic" } => (null, 0),
            { State: not ("open" or "closed") } => throw new JobException(JobError.Validation("state must be 'open', 'closed' or 'automatic'.")),
            { Minutes: { } minutes } when minutes >= 1 && minutes <= max => (request.State == "open", minutes),
            _ => throw new JobException(JobError.Validation($"minutes must be a whole number from 1 to {max}.")),
        };
    }

    /// <summary>The action as registered; UNKNOWN_ACTION for any other.</summary>
    private string Registered(string action) => handlers.Get(action).Action;

    private ApiResponse Controls(OperatorControlState state) =>
        new(200, JsonSerializer.Serialize(controls.ToView(state), ProtocolJson.Default.OperatorControlsView));

    private static async Task<ApiResponse> AsOperator(IEnumerable<Claim>? validatedClaims, Func<CallerIdentity, Task<ApiResponse>> action)
    {
        if (!OperatorAuthorization.TryAuthorize(validatedClaims, "This operator control", out CallerIdentity? operatorCaller, out ApiResponse? refusal))
        {
            return refusal;
        }

        try
        {
            return await action(operatorCaller).ConfigureAwait(false);
        }
        catch (JobException ex)
        {
            return JobApi.Error(ex.Error);
        }
        // Any cancellation here is storage's network timeout or a caller already gone: either way the answer is 503.
        catch (Exception ex) when (StorageCall.IsOutage(ex, CancellationToken.None))
        {
            return JobApi.Error(JobError.Unavailable("Storage is unavailable; retry shortly.") with { RetryAfterMs = 2000 });
        }
    }
}
