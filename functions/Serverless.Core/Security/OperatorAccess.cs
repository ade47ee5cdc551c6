using System.Security.Claims;

namespace Serverless.Core.Security;

/// <summary>
/// Who may watch every user's jobs (the operators' feed and dashboard): callers whose token carries the
/// <see cref="OperatorRole"/> in its <see cref="RoleClaim"/> claim, as Entra ID app roles do.
/// </summary>
internal static class OperatorAccess
{
    /// <summary>The claim holding the caller's roles: <c>roles</c> (also accepted: <c>role</c> and <see cref="ClaimTypes.Role"/>).</summary>
    public const string RoleClaim = "roles";

    /// <summary>The role that grants operator access: <c>operator</c>.</summary>
    public const string OperatorRole = "operator";

    /// <summary>Whether validated claims grant operator access.</summary>
    public static bool IsOperator(IEnumerable<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return claims.Any(claim =>
            claim.Type is RoleClaim or "role" or ClaimTypes.Role
            && string.Equals(claim.Value, OperatorRole, StringComparison.Ordinal));
    }
}
