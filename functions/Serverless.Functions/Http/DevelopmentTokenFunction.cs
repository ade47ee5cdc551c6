using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serverless.Core.Security;

namespace Serverless.Functions.Http;

/// <summary>
/// <c>POST /api/dev/token</c>, as on the local host: only with <c>Auth:EnableDevelopmentTokens</c>, in the Development
/// environment, on a host reached on loopback (<c>WEBSITE_HOSTNAME</c>, the address the Functions host serves) — so never in Azure.
/// </summary>
internal sealed class DevelopmentTokenFunction(DevelopmentTokenIssuer issuer, IOptions<AuthOptions> auth, IHostEnvironment environment)
{
    [Function(nameof(IssueDevelopmentToken))]
    public IActionResult IssueDevelopmentToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dev/token")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? hostName = Environment.GetEnvironmentVariable("WEBSITE_HOSTNAME");
        bool allowed = DevelopmentTokenPolicy.IsAllowed(
            auth.Value.EnableDevelopmentTokens, environment.EnvironmentName, hostName is null ? [] : [$"http://{hostName}"], out _);
        return new ApiResponseResult(issuer.Issue(allowed, request.QueryValue("user"), request.QueryValue("tenant"), request.QueryValue("role")));
    }
}
