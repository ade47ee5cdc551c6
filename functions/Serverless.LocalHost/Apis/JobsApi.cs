using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Operators;
using Serverless.Core.Security;
using Serverless.LocalHost.Hubs;
using Serverless.LocalHost.Security;
using Serverless.Protocol;

namespace Serverless.LocalHost.Apis;

/// <summary>The HTTP API: adapts requests to the core's <see cref="JobApi"/>.</summary>
internal static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder api = endpoints.MapGroup("/api");
        api.MapPost("/jobs", SubmitAsync);
        api.MapGet("/jobs", (HttpContext http, JobApi jobs, string? status, string? limit) =>
            Authenticated(http, caller => jobs.ListAsync(caller, status, limit, http.RequestAborted)));
        api.MapGet("/jobs/{jobId}", (HttpContext http, JobApi jobs, string jobId) =>
            Authenticated(http, caller => jobs.GetAsync(caller, jobId, http.RequestAborted)));
        api.MapGet("/jobs/{jobId}/events", (HttpContext http, JobApi jobs, string jobId, string? afterSeq) =>
            Authenticated(http, caller => jobs.GetEventsAsync(caller, jobId, afterSeq, http.RequestAborted)));
        api.MapGet("/jobs/{jobId}/result", (HttpContext http, JobApi jobs, string jobId, string? format) =>
            Authenticated(http, caller => jobs.GetResultAsync(caller, jobId, format, http.RequestAborted)));
        api.MapPost("/jobs/{jobId}/cancel", (HttpContext http, JobApi jobs, string jobId) =>
            Authenticated(http, caller => jobs.CancelAsync(caller, jobId, http.RequestAborted)));
        api.MapPost("/negotiate", Negotiate);
        api.MapPost("/" + OperatorFeed.NegotiateRoute, NegotiateOperatorFeed);
        api.MapPost("/dev/token", IssueDevelopmentToken);
        return endpoints;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, JobApi jobs) =>
        Caller(http) is { } caller
            ? new ApiResult(await jobs.SubmitAsync(caller, http.Request.Body, http.Request.ContentLength, http.RequestAborted))
            : new ApiResult(JobApi.Unauthorized());

    /// <summary>
    /// Where to connect: this host's hub (<see cref="HubOptions.PublicUrl"/>, else the address it listens on, never
    /// the request's Host header), with the caller's own token (Azure answers with a SignalR Service URL).
    /// </summary>
    private static IResult Negotiate(HttpContext http, IOptions<HubOptions> hub, IServer server)
    {
        if (Caller(http) is null)
        {
            return new ApiResult(JobApi.Unauthorized());
        }

        return Results.Json(new NegotiateReply(Origin(hub, server) + HubServiceCollectionExtensions.HubPath, BearerToken(http)));
    }

    /// <summary>
    /// Where an operator connects to the feed: this host's operators' hub, with the caller's own token (Azure answers with
    /// a SignalR Service URL on the clients' hub). Who may is <see cref="OperatorNegotiation"/>'s decision, as in Azure.
    /// </summary>
    private static ApiResult NegotiateOperatorFeed(HttpContext http, IOptions<HubOptions> hub, IServer server) =>
        new(OperatorNegotiation.Negotiate(
            http.User.Identity?.IsAuthenticated == true ? http.User.Claims : null,
            _ => new ApiResponse(200, JsonSerializer.Serialize(
                new NegotiateReply(Origin(hub, server) + HubServiceCollectionExtensions.OperatorHubPath, BearerToken(http)), JsonSerializerOptions.Web))));

    private static string BearerToken(HttpContext http) => http.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();

    /// <summary>The origin clients reach this host at: <see cref="HubOptions.PublicUrl"/>, else the address it listens on, never the Host header.</summary>
    private static string Origin(IOptions<HubOptions> hub, IServer server)
    {
        string? listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return (hub.Value.PublicUrl?.GetLeftPart(UriPartial.Authority) ?? listening ?? "http://127.0.0.1").TrimEnd('/');
    }

    /// <summary>
    /// Development only: a token for any user id, when <see cref="DevelopmentTokenGate"/> is open (the setting, the
    /// Development environment and loopback-only addresses); otherwise 404 as if the route did not exist.
    /// </summary>
    private static ApiResult IssueDevelopmentToken(DevelopmentTokenIssuer issuer, DevelopmentTokenGate gate, string? user, string? tenant, string? role) =>
        new ApiResult(issuer.Issue(gate.IsOpen, user, tenant, role));

    private static async Task<IResult> Authenticated(HttpContext http, Func<CallerIdentity, Task<ApiResponse>> action) =>
        Caller(http) is { } caller ? new ApiResult(await action(caller)) : new ApiResult(JobApi.Unauthorized());

    private static CallerIdentity? Caller(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true ? TokenService.FromClaims(http.User.Claims) : null;

    private sealed record NegotiateReply(string Url, string AccessToken);
}
