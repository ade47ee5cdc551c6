namespace Serverless.Client;

/// <summary>A token the service issued for a development user (<c>POST /api/dev/token</c>).</summary>
/// <param name="Token">The bearer token to send as <c>Authorization: Bearer</c>.</param>
/// <param name="User">The user id the token names.</param>
/// <param name="Tenant">The tenant the token names; null for none.</param>
public sealed record DevelopmentToken(string Token, string User, string? Tenant);
