using System.Security.Claims;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Security;

namespace Serverless.Core.Operators;

/// <summary>
/// <c>POST /api/operators/negotiate</c> in both hosts: where an operator connects to receive the feed. Who may is decided
/// here, once; each host only says where its feed is (a hub of its own locally, a group on the clients' hub in Azure).
/// </summary>
internal static class OperatorNegotiation
{
    /// <summary>
    /// 401 without valid claims, 403 (<c>UNAUTHORIZED</c>) when they grant no operator access
    /// (<see cref="OperatorAccess.IsOperator"/>), else the host's <paramref name="answer"/> for the caller.
    /// </summary>
    /// <param name="validatedClaims">The claims of the caller's validated token; null when it had none or an invalid one.</param>
    /// <param name="answer">The negotiate answer (<c>{url, accessToken}</c>) for an operator.</param>
    public static ApiResponse Negotiate(IEnumerable<Claim>? validatedClaims, Func<CallerIdentity, ApiResponse> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return OperatorAuthorization.TryAuthorize(validatedClaims, "The operators' feed", out CallerIdentity? caller, out ApiResponse? refusal)
            ? answer(caller)
            : refusal;
    }
}
