using Microsoft.AspNetCore.Mvc;
using Serverless.Core.Endpoints.Http;

namespace Serverless.Functions.Http;

/// <summary>Core's <see cref="ApiResponse"/> as a function's answer, written by Core's <see cref="ApiResponseWriter"/>.</summary>
internal sealed class ApiResponseResult(ApiResponse response) : IActionResult
{
    public ApiResponse Response { get; } = response;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Response.WriteAsync(context.HttpContext.Response, context.HttpContext.RequestAborted);
    }
}
