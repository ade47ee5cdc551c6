using Microsoft.AspNetCore.Http;

namespace Serverless.Core.Endpoints.Http;

/// <summary>Writes an <see cref="ApiResponse"/> as the HTTP answer: the one writer both hosts use, so their answers cannot drift.</summary>
internal static class ApiResponseWriter
{
    /// <summary>Status, every header of <paramref name="response"/>, then the body and its media type when there is one.</summary>
    public static Task WriteAsync(this ApiResponse response, HttpResponse http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(http);
        http.StatusCode = response.StatusCode;
        foreach ((string name, string value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        if (!response.HasBody)
        {
            return Task.CompletedTask;
        }

        http.ContentType = response.ContentType;
        return response.BinaryBody is { } bytes
            ? http.Body.WriteAsync(bytes, cancellationToken).AsTask()
            : http.WriteAsync(response.Body, cancellationToken);
    }
}
