using Serverless.Core.Endpoints.Http;

namespace Serverless.LocalHost.Apis;

/// <summary>Binds Core's <see cref="OperatorRetryApi"/>: an operator retries a failed job.</summary>
internal static class OperatorRetryEndpoints
{
    public static IEndpointRouteBuilder MapOperatorRetryApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/" + OperatorRetryApi.Route, async (HttpContext http, OperatorRetryApi retry, string jobId) => new ApiResult(
            await retry.RetryAsync(http.User.Identity?.IsAuthenticated == true ? http.User.Claims : null, jobId, http.RequestAborted)));
        return endpoints;
    }
}
