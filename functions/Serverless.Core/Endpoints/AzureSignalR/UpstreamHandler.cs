using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Endpoints.Hub;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Core.SignalRService;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Endpoints.AzureSignalR;

/// <summary>
/// The upstream endpoint Azure SignalR Service calls in serverless mode: checks the signature, then handles
/// <c>connections</c> events and <c>messages</c> invocations (<c>submit</c>, <c>cancel</c>, <c>resume</c>) through
/// the same <see cref="JobHubEndpoint"/> the local hub calls. Invocations with an id are answered with a completion message.
/// </summary>
internal sealed class UpstreamHandler
{
    public const string ConnectionsCategory = "connections";
    public const string MessagesCategory = "messages";
    public const string ConnectedEvent = "connected";
    public const string DisconnectedEvent = "disconnected";

    private readonly JobHubEndpoint _hubMethods;
    private readonly IConnectionOwners _connections;
    private readonly SignalROperatorFeed _operatorFeed;
    private readonly SignalRConnectionCap _connectionCap;
    private readonly ServerlessMetrics _metrics;
    private readonly string _hub;
    private readonly string[] _accessKeys;
    private readonly ILogger<UpstreamHandler> _logger;

    internal UpstreamHandler(
        JobHubEndpoint hubMethods,
        IConnectionOwners connections,
        SignalROperatorFeed operatorFeed,
        SignalRConnectionCap connectionCap,
        SignalRConnectionString connection,
        IOptions<SignalRServiceOptions> options,
        ServerlessMetrics metrics,
        ILogger<UpstreamHandler> logger)
    {
        _hubMethods = hubMethods;
        _connections = connections;
        _operatorFeed = operatorFeed;
        _connectionCap = connectionCap;
        _metrics = metrics;
        _hub = options.Value.HubName;
        _accessKeys = [.. new[] { connection.AccessKey, options.Value.SecondaryAccessKey }.OfType<string>().Where(k => k.Length > 0)];
        _logger = logger;
    }

    /// <summary>401 for a missing or wrong signature, 400 for a malformed call, else 200 (with a completion body for invocations with an id).</summary>
    public async Task<ApiResponse> HandleAsync(UpstreamRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!UpstreamSignature.IsValid(request.ConnectionId, request.Signature, _accessKeys))
        {
            Log.SignatureRejected(_logger, request.Category, request.Event);
            return JobApi.Error(new JobError(ErrorCodes.Unauthorized, $"A valid {UpstreamHeaders.Signature} and {UpstreamHeaders.ConnectionId} are required."));
        }

        if (request.Hub.Length == 0 || request.Category.Length == 0 || request.Event.Length == 0)
        {
            return JobApi.Error(JobError.Validation(
                $"The call names no hub, category or event: the service sends {UpstreamHeaders.Hub}, {UpstreamHeaders.Category} and {UpstreamHeaders.Event}."));
        }

        // The service lower-cases hub names; the configured name may not be.
        if (!string.Equals(request.Hub, _hub, StringComparison.OrdinalIgnoreCase))
        {
            return JobApi.Error(new JobError(ErrorCodes.NotFound, $"Hub '{request.Hub}' is not served here."));
        }

        return request.Category.ToLowerInvariant() switch
        {
            ConnectionsCategory => await OnConnectionEventAsync(request, cancellationToken).ConfigureAwait(false),
            MessagesCategory => await OnInvocationAsync(request, cancellationToken).ConfigureAwait(false),
            _ => JobApi.Error(JobError.Validation($"Unknown upstream category '{request.Category}'; expected connections or messages.")),
        };
    }

    private async Task<ApiResponse> OnConnectionEventAsync(UpstreamRequest request, CancellationToken cancellationToken)
    {
        string connectionId = request.ConnectionId!;
        bool connected = string.Equals(request.Event, ConnectedEvent, StringComparison.OrdinalIgnoreCase);
        if (!connected && !string.Equals(request.Event, DisconnectedEvent, StringComparison.OrdinalIgnoreCase))
        {
            return JobApi.Error(JobError.Validation($"Unknown connection event '{request.Event}'; expected connected or disconnected."));
        }

        if (request.UserId is null)
        {
            // Negotiate always names a user; a connection without one can invoke nothing, so there is nothing to bind.
            return Empty();
        }

        if (!CallerIdentity.TryFromOwnerId(request.UserId, out CallerIdentity? caller))
        {
            return JobApi.Error(NotIssuedUser());
        }

        bool bound;
        try
        {
            bound = connected
                ? await _connections.ClaimAsync(connectionId, caller.OwnerId, cancellationToken).ConfigureAwait(false)
                : await _connections.CloseAsync(connectionId, caller.OwnerId, cancellationToken).ConfigureAwait(false);
            if (bound && !connected)
            {
                await _connectionCap.ReleaseAsync(connectionId, caller.OwnerId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (StorageCall.IsOutage(ex, cancellationToken))
        {
            Log.ConnectionRecordFailed(_logger, ex, connectionId);
            return JobApi.Error(ConnectionsUnavailable());
        }

        if (!bound)
        {
            Log.UserMismatch(_logger, request.Event, connectionId);
            return JobApi.Error(UserMismatch());
        }

        // Per instance, connects and disconnects of one connection may land on different instances: the sum over
        // instances is the number open.
        _metrics.ActiveConnections.Add(connected ? 1 : -1);
        if (connected)
        {
            Log.Connected(_logger, connectionId, request.UserId);

            // The operators' feed is a hub of its own on the local host, outside the clients' cap: here too.
            return SignalROperatorFeed.IsFeedConnection(request.UserClaims)
                ? await JoinOperatorFeedAsync(connectionId, request.UserId, cancellationToken).ConfigureAwait(false)
                : await AdmitAsync(connectionId, caller.OwnerId, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Log.Disconnected(_logger, connectionId, request.UserId);
        }

        return Empty();
    }

    private async Task<ApiResponse> OnInvocationAsync(UpstreamRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.UserId))
        {
            return JobApi.Error(new JobError(ErrorCodes.Unauthorized, $"The connection has no user ({UpstreamHeaders.UserId}); connect with a token from /api/negotiate."));
        }

        bool messagePack = MessagePackUpstream.IsMessagePack(request.ContentType);
        if (!messagePack && request.ContentType is { } contentType && !IsJson(contentType))
        {
            Log.UnsupportedContentType(_logger, request.Event, contentType);
            return JobApi.Error(JobError.Validation($"Content type '{contentType}' is not a SignalR hub protocol this hub speaks; use the JSON or MessagePack protocol.")) with { StatusCode = 415 };
        }

        SignalRInvocation? invocation;
        string? error;
        if (!(messagePack
            ? MessagePackUpstream.TryParse(request.Body, out invocation, out error)
            : SignalRInvocation.TryParse(request.Body.Span, out invocation, out error)))
        {
            return JobApi.Error(JobError.Validation(error));
        }

        // The user id is the owner id negotiate put in the token's nameid, so it maps back to the same owner;
        // text negotiate cannot have issued is refused rather than taken as a user id of its own.
        if (!CallerIdentity.TryFromOwnerId(request.UserId, out CallerIdentity? caller))
        {
            return JobApi.Error(NotIssuedUser());
        }

        // The signature covers only the connection id: the user id must be the one the connection was opened with.
        JobError? refusal = null;
        try
        {
            if (!await _connections.ClaimAsync(request.ConnectionId!, caller.OwnerId, cancellationToken).ConfigureAwait(false))
            {
                Log.UserMismatch(_logger, invocation.Target, request.ConnectionId!);
                refusal = UserMismatch();
            }
        }
        catch (Exception ex) when (StorageCall.IsOutage(ex, cancellationToken))
        {
            Log.ConnectionRecordFailed(_logger, ex, request.ConnectionId!);
            refusal = ConnectionsUnavailable();
        }

        if (refusal is not null)
        {
            JobMessage refusalReply = JobMessage.ErrorReply(null, refusal);
            return string.Equals(invocation.Target, "resume", StringComparison.OrdinalIgnoreCase)
                ? CompleteMany(invocation, [refusalReply])
                : Complete(invocation, refusalReply);
        }

        return invocation.Target.ToLowerInvariant() switch
        {
            "submit" when invocation.Arguments.Count == 1 => Complete(invocation,
                await _hubMethods.SubmitAsync(caller, invocation.Arguments[0], cancellationToken).ConfigureAwait(false)),
            "cancel" when invocation.Arguments.Count == 1 => Complete(invocation,
                await _hubMethods.CancelAsync(caller, invocation.Arguments[0], cancellationToken).ConfigureAwait(false)),
            "resume" when invocation.Arguments.Count == 2 => CompleteMany(invocation,
                await _hubMethods.ResumeAsync(caller, invocation.Arguments[0], invocation.Arguments[1], cancellationToken).ConfigureAwait(false)),
            "submit" or "cancel" or "resume" => Fail(invocation, $"'{invocation.Target}' was given {invocation.Arguments.Count} argument(s); submit takes (request), cancel (jobId), resume (jobId, afterSeq)."),
            _ => Fail(invocation, $"Unknown method '{invocation.Target}'; the hub has submit, cancel and resume."),
        };
    }

    /// <summary>
    /// A connection negotiated at the operators' negotiate (its token carries the feed claim, which only that route issues,
    /// to operators) joins the feed's group; the service drops it from the group when it closes.
    /// </summary>
    private async Task<ApiResponse> JoinOperatorFeedAsync(string connectionId, string userId, CancellationToken cancellationToken)
    {
        try
        {
            await _operatorFeed.AddAsync(connectionId, cancellationToken).ConfigureAwait(false);
            Log.JoinedOperatorFeed(_logger, connectionId, userId);
            return Empty();
        }
        catch (Exception ex) when (ex is SignalRServiceException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            Log.OperatorFeedJoinFailed(_logger, ex, connectionId);
            return JobApi.Error(JobError.Unavailable("The connection could not join the operators' feed; reconnect to try again."));
        }
    }

    /// <summary>Applies the per-user connection cap; a connection it cannot be applied to stays open (the service already accepted it).</summary>
    private async Task<ApiResponse> AdmitAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        try
        {
            await _connectionCap.AdmitAsync(connectionId, ownerId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageCall.IsOutage(ex, cancellationToken) || ex is SignalRServiceException)
        {
            Log.ConnectionCapFailed(_logger, ex, connectionId);
        }

        return Empty();
    }

    private static bool IsJson(string contentType)
    {
        string mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }

    // A non-blocking invocation (no id) expects no answer: the service drops the body. The answer is in the caller's protocol.
    private static ApiResponse Complete(SignalRInvocation invocation, JobMessage result) =>
        invocation.InvocationId is not { } id ? Empty()
        : invocation.MessagePack ? MessagePackUpstream.WithResult(id, result)
        : new ApiResponse(200, SignalRCompletion.WithResult(id, result, ProtocolJson.Default.JobMessage));

    private static ApiResponse CompleteMany(SignalRInvocation invocation, JobMessage[] results) =>
        invocation.InvocationId is not { } id ? Empty()
        : invocation.MessagePack ? MessagePackUpstream.WithResult(id, results)
        : new ApiResponse(200, SignalRCompletion.WithResult(id, results, ProtocolJson.Default.JobMessageArray));

    private ApiResponse Fail(SignalRInvocation invocation, string error)
    {
        Log.InvocationRefused(_logger, invocation.Target, error);
        return invocation.InvocationId is not { } id ? Empty()
            : invocation.MessagePack ? MessagePackUpstream.WithError(id, error)
            : new ApiResponse(200, SignalRCompletion.WithError(id, error));
    }

    private static ApiResponse Empty() => new(200, "");

    private static JobError NotIssuedUser() =>
        new(ErrorCodes.Unauthorized, $"The connection's user ({UpstreamHeaders.UserId}) is not an id /api/negotiate issues.");

    private static JobError UserMismatch() =>
        new(ErrorCodes.Unauthorized, $"{UpstreamHeaders.UserId} is not the user this connection was opened with.");

    private static JobError ConnectionsUnavailable() =>
        JobError.Unavailable("The connection's owner cannot be checked now; retry shortly.") with { RetryAfterMs = 1000 };

    // A storage call's network timeout surfaces as a cancellation the caller did not ask for: an outage, not a hang-up.
}
