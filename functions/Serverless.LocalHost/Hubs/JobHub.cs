using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Serverless.Core.Endpoints.Hub;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Protocol;

namespace Serverless.LocalHost.Hubs;

/// <summary>
/// The client protocol over SignalR: <c>submit</c>, <c>cancel</c>, <c>resume</c>. Replies are the
/// invocation results; progress and terminal messages arrive on the <c>job</c> target.
/// </summary>
[Authorize]
internal sealed class JobHub(JobHubEndpoint methods, ConnectionLimiter connections, IOptions<LimitsOptions> limits) : Hub
{
    // Claims do not change during a connection: map them to the caller once.
    private CallerIdentity Caller =>
        Context.Items.TryGetValue(typeof(CallerIdentity), out object? caller) ? (CallerIdentity)caller!
            : (CallerIdentity)(Context.Items[typeof(CallerIdentity)] =
                TokenService.FromClaims(Context.User?.Claims ?? []) ?? throw new HubException("The connection has no user."));

    public override Task OnConnectedAsync()
    {
        int max = limits.Value.MaxConnectionsPerUser;
        if (!connections.TryOpen(Caller.OwnerId, max))
        {
            // Closes this connection with the message; the user's other connections carry on.
            throw new HubException($"At most {max} connections per user; close one first.");
        }

        Context.Items[typeof(ConnectionLimiter)] = true;
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.ContainsKey(typeof(ConnectionLimiter)))
        {
            connections.Close(Caller.OwnerId);
        }

        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Answers <c>accepted</c>, <c>result</c> or <c>error</c>; taken as raw JSON so a malformed request gets a typed error.</summary>
    public Task<JobMessage> Submit(JsonElement request) => methods.SubmitAsync(Caller, request, Context.ConnectionAborted);

    /// <summary>Answers the job's <c>status</c> or an <c>error</c>.</summary>
    public Task<JobMessage> Cancel(JsonElement jobId) => methods.CancelAsync(Caller, jobId, Context.ConnectionAborted);

    /// <summary>Every persisted message after <paramref name="afterSeq"/>, oldest first; or one <c>error</c> message.</summary>
    public Task<JobMessage[]> Resume(JsonElement jobId, JsonElement afterSeq) => methods.ResumeAsync(Caller, jobId, afterSeq, Context.ConnectionAborted);
}
