namespace Serverless.Core.Security;

/// <summary>An authenticated caller. Jobs belong to <see cref="OwnerId"/>: the tenant (when present) plus the user.</summary>
public sealed record CallerIdentity(string UserId, string? TenantId = null)
{
    /// <summary>The owner of the caller's jobs and their push target; tenants never share owners.</summary>
    public string OwnerId => TenantId is null ? UserId : $"{TenantId}/{UserId}";
}
