namespace Serverless.Client;

/// <summary>Development tokens from a host that issues them (<c>Auth:EnableDevelopmentTokens</c>); never in production.</summary>
public static class DevelopmentTokens
{
    /// <summary>
    /// Asks <c>POST /api/dev/token</c> for a token for <paramref name="user"/>, with <paramref name="role"/> (e.g.
    /// <c>operator</c>) when given; NOT_FOUND when the host issues none.
    /// </summary>
    public static async Task<DevelopmentToken> RequestAsync(Uri baseUrl, string user, string? tenant, string? role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        using var http = new HttpClient { BaseAddress = JobClient.WithTrailingSlash(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        return await new JobHttpApi(http, tokenProvider: null).RequestDevelopmentTokenAsync(user, tenant, role, cancellationToken).ConfigureAwait(false);
    }
}
