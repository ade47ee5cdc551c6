namespace Serverless.Client;

/// <summary>Development tokens from a host that issues them (<c>Auth:EnableDevelopmentTokens</c>); never in production.</summary>
public static class DevelopmentTokens
{
    /// <summary>Asks <c>POST /api/dev/token</c> for a token for <paramref name="user"/>; NOT_FOUND when the host issues none.</summary>
    public static Task<DevelopmentToken> RequestAsync(Uri baseUrl, string user, string? tenant, CancellationToken cancellationToken) =>
        RequestAsync(baseUrl, user, tenant, role: null, cancellationToken);

    /// <summary>As <see cref="RequestAsync(Uri, string, string?, CancellationToken)"/>, with a <paramref name="role"/> (e.g. <c>operator</c>) when not null.</summary>
    public static async Task<DevelopmentToken> RequestAsync(Uri baseUrl, string user, string? tenant, string? role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        using var http = new HttpClient { BaseAddress = JobClient.WithTrailingSlash(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        return await new JobHttpApi(http, tokenProvider: null).RequestDevelopmentTokenAsync(user, tenant, role, cancellationToken).ConfigureAwait(false);
    }
}
