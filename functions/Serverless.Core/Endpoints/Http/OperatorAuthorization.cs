using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Serverless.Core.Security;
using Serverless.Protocol;

namespace Serverless.Core.Endpoints.Http;

/// <summary>Who may call an operators' endpoint, decided once for every host: a caller with the operator role (<see cref="OperatorAccess"/>).</summary>
internal static class OperatorAuthorization
{
    /// <summary>
    /// True with the <paramref name="caller"/> when the claims grant operator access; otherwise the answer: 401 without
    /// valid claims, 403 (<c>UNAUTHORIZED</c>) when they grant no operator access to <paramref name="what"/>.
    /// </summary>
    /// <param name="validatedClaims">The claims of the caller's validated token; null when it had none or an invalid one.</param>
    /// <param name="what">The operation, as the 403's message names it.</param>
    /// <param name="caller">The operator, when authorized.</param>
    /// <param name="refusal">The 401 or 403 answer, when not.</param>
    public static bool TryAuthorize(
        IEnumerable<Claim>? validatedClaims, string what, [NotNullWhen(true)] out CallerIdentity? caller, [NotNullWhen(false)] out ApiResponse? refusal)
    {
        Claim[] claims = [.. validatedClaims ?? []];
        caller = validatedClaims is null ? null : TokenService.FromClaims(claims);
        if (caller is null)
        {
            refusal = JobApi.Unauthorized();
            return false;
        }

        if (!OperatorAccess.IsOperator(claims))
        {
            caller = null;
            refusal = JobApi.Error(new JobError(
                ErrorCodes.Unauthorized,
                $"{what} needs the '{OperatorAccess.OperatorRole}' role in the token's '{OperatorAccess.RoleClaim}' claim.")) with { StatusCode = 403 };
            return false;
        }

        refusal = null;
        return true;
    }
}
