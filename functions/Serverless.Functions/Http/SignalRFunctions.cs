using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Serverless.Core.Endpoints.AzureSignalR;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Operators;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Functions.Durable;
using Serverless.Protocol;

namespace Serverless.Functions.Http;

/// <summary>
/// Azure SignalR Service in serverless mode: clients negotiate here, connect to the service, and the service
/// forwards their hub invocations and connection events to the upstream endpoint.
/// </summary>
internal sealed class SignalRFunctions(
    SignalRNegotiator negotiator,
    UpstreamHandler upstream,
    TokenService tokens,
    FunctionsJobScheduler scheduler)
{
    /// <summary>The route Azure SignalR Service's upstream URL template must point at (under <c>/api</c>).</summary>
    public const string UpstreamRoute = "upstream/{hub}/{category}/{eventName}";

    [Function(nameof(Negotiate))]
    public async Task<IActionResult> Negotiate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "negotiate")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await tokens.AuthenticateAsync(request).ConfigureAwait(false) is { } caller
            ? new ApiResponseResult(negotiator.Negotiate(caller))
            : new ApiResponseResult(JobApi.Unauthorized());
    }

    /// <summary>The operators' feed: operators get a connection to the same hub that the upstream puts in the feed's group.</summary>
    [Function(nameof(OperatorsNegotiate))]
    public async Task<IActionResult> OperatorsNegotiate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OperatorFeed.NegotiateRoute)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<Claim>? claims = await tokens.ValidateAsync(HttpRequestReader.BearerToken(request)).ConfigureAwait(false);
        return new ApiResponseResult(OperatorNegotiation.Negotiate(claims, negotiator.NegotiateOperatorFeed));
    }

    [Function(nameof(SignalRUpstream))]
    public async Task<IActionResult> SignalRUpstream(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = UpstreamRoute)] HttpRequest request,
        string hub,
        string category,
        string eventName,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A whole hub message, as the local hub reads it: the router answers an oversized payload with a typed error.
        int limit = ProtocolLimits.MaxHubMessageBytes;
        if (await RequestBody.ReadAsync(request.Body, request.ContentLength, limit, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return new ApiResponseResult(RequestBody.TooLarge(limit));
        }

        scheduler.Use(durable);
        var call = UpstreamRequest.From(name => Header(request, name), hub, category, eventName, request.ContentType, body);
        return new ApiResponseResult(await upstream.HandleAsync(call, cancellationToken).ConfigureAwait(false));
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;
}
