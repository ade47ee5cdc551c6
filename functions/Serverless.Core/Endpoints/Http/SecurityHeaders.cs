namespace Serverless.Core.Endpoints.Http;

/// <summary>The security headers both hosts put on their answers.</summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// For API answers (<see cref="ApiResponse"/>): never sniffed, never cached (they are one caller's data or
    /// tokens), never framed. An HTML export is job data: it runs no script and loads nothing (sandboxed).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForApi(string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        bool html = contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase);
        return
        [
            new("X-Content-Type-Options", "nosniff"),
            new("Cache-Control", "no-store"),
            new("X-Frame-Options", "DENY"),
            new("Content-Security-Policy", html
                ? "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox"
                : "default-src 'none'; frame-ancestors 'none'"),
        ];
    }

    /// <summary>
    /// For pages and static files (the dashboard): never sniffed or framed; scripts only from this origin; HTTP calls to
    /// this origin and to <paramref name="connectOrigins"/> (origins such as <c>https://app.example.com</c>) only.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForPage(IEnumerable<string>? connectOrigins = null)
    {
        string extra = string.Concat((connectOrigins ?? []).Select(origin => " " + origin));
        return
        [
            new("X-Content-Type-Options", "nosniff"),
            new("X-Frame-Options", "DENY"),
            new("Content-Security-Policy", $"default-src 'self'; img-src 'self' data:; connect-src 'self'{extra} ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
            new("Referrer-Policy", "no-referrer"),
        ];
    }
}
