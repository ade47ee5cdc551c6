using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Core.Api;

namespace Serverless.Functions.Http;

/// <summary>Writes a Core <see cref="ApiResponse"/> as the HTTP answer.</summary>
public sealed class ApiResponseResult(ApiResponse response) : IActionResult
{
    public ApiResponse Response { get; } = response;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        HttpResponse http = context.HttpContext.Response;
        http.StatusCode = Response.StatusCode;
        foreach ((string name, string value) in SecurityHeaders.ForApi(Response.ContentType))
        {
            http.Headers[name] = value;
        }

        if (Response.Body.Length == 0 && Response.BinaryBody is null)
        {
            return Task.CompletedTask;
        }

        http.ContentType = Response.ContentType;
        if (Response.Location is { } location)
        {
            http.Headers.Location = location;
        }

        if (Response.RetryAfter is { } retryAfter)
        {
            http.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return Response.BinaryBody is { } bytes
            ? http.Body.WriteAsync(bytes, context.HttpContext.RequestAborted).AsTask()
            : http.WriteAsync(Response.Body, context.HttpContext.RequestAborted);
    }
}
