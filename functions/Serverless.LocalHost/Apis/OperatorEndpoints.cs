using System.Security.Claims;
using Serverless.Core.Endpoints.Http;

namespace Serverless.LocalHost.Apis;

/// <summary>Binds Core's <see cref="OperatorApi"/>: the operators' controls and job list, given the caller's validated claims.</summary>
internal static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder api = endpoints.MapGroup("/api/operators");
        api.MapGet("/controls", async (HttpContext http, OperatorApi operators) =>
            new ApiResult(await operators.ControlsAsync(Claims(http), http.RequestAborted)));
        api.MapGet("/jobs", async (HttpContext http, OperatorApi operators, string? user, string? action, string? status, string? from, string? to, string? limit) =>
            new ApiResult(await operators.ListAsync(Claims(http), user, action, status, from, to, limit, http.RequestAborted)));
        api.MapPost("/jobs/{jobId}/cancel", async (HttpContext http, OperatorApi operators, string jobId) =>
            new ApiResult(await operators.CancelAsync(Claims(http), jobId, http.RequestAborted)));
        api.MapPost("/actions/{action}/pause", async (HttpContext http, OperatorApi operators, string action) =>
            new ApiResult(await operators.PauseAsync(Claims(http), action, http.RequestAborted)));
        api.MapPost("/actions/{action}/resume", async (HttpContext http, OperatorApi operators, string action) =>
            new ApiResult(await operators.ResumeAsync(Claims(http), action, http.RequestAborted)));
        api.MapPost("/push-circuit", async (HttpContext http, OperatorApi operators) =>
            new ApiResult(await operators.ForcePushCircuitAsync(Claims(http), http.Request.Body, http.Request.ContentLength, http.RequestAborted)));
        return endpoints;
    }

    private static IEnumerable<Claim>? Claims(HttpContext http) => http.User.Identity?.IsAuthenticated == true ? http.User.Claims : null;
}
