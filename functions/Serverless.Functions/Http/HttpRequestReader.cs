using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Serverless.Core.Security;

namespace Serverless.Functions.Http;

/// <summary>What every HTTP function needs from a request: the authenticated caller, and query values.</summary>
internal static class HttpRequestReader
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>The caller named by a valid <c>Authorization: Bearer</c> token, or null.</summary>
    public static Task<CallerIdentity?> AuthenticateAsync(this TokenService tokens, HttpRequest request) =>
        tokens.AuthenticateAsync(BearerToken(request));

    /// <summary>The token of the <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        string header = request.Headers[HeaderNames.Authorization].ToString();
        return header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? header[BearerPrefix.Length..].Trim() : null;
    }

    /// <summary>The query value <paramref name="name"/>, or null when absent.</summary>
    public static string? QueryValue(this HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;
}
