using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Serverless.Core.Protocol;
using Serverless.Core.Routing;
using Serverless.Core.Security;

namespace Serverless.LocalHost.Hubs;

/// <summary>
/// The client protocol over SignalR: <c>submit</c>, <c>cancel</c>, <c>resume</c>. Replies are the
/// invocation results; progress and terminal messages arrive on the <c>job</c> target.
/// </summary>
[Authorize]
internal sealed class JobHub(JobRouter router) : Hub
{
    private CallerIdentity Caller =>
        TokenService.FromClaims(Context.User?.Claims ?? []) ?? throw new HubException("The connection has no user.");

    /// <summary>Answers <c>accepted</c>, <c>result</c> or <c>error</c>.</summary>
    public Task<JobMessage> Submit(JobRequest? request) => router.SubmitAsync(Caller, request, Context.ConnectionAborted);

    /// <summary>Answers the job's <c>status</c> or an <c>error</c>.</summary>
    public Task<JobMessage> Cancel(string? jobId) => router.CancelAsync(Caller, jobId, Context.ConnectionAborted);

    /// <summary>Every persisted message after <paramref name="afterSeq"/>, oldest first; or one <c>error</c> message.</summary>
    public async Task<JobMessage[]> Resume(string? jobId, long afterSeq)
    {
        try
        {
            return [.. await router.ResumeAsync(Caller, jobId, afterSeq, Context.ConnectionAborted)];
        }
        catch (JobException ex)
        {
            return [JobMessage.ErrorReply(null, ex.Error)];
        }
    }
}
