namespace Serverless.Client;

/// <summary>A token the service issued for a development user (<c>POST /api/dev/token</c>).</summary>
public sealed record DevelopmentToken(string Token, string User, string? Tenant);
