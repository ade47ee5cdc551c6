using Serverless.Core.Endpoints.Http;

namespace Serverless.LocalHost.Apis;

/// <summary>Core's <see cref="ApiResponse"/> as a minimal-API result, written by Core's <see cref="ApiResponseWriter"/>.</summary>
internal sealed class ApiResult(ApiResponse response) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => response.WriteAsync(httpContext.Response, httpContext.RequestAborted);
}
