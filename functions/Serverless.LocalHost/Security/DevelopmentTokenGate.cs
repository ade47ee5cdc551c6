using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Serverless.Core.Security;

namespace Serverless.LocalHost.Security;

/// <summary>
/// Applies <see cref="DevelopmentTokenPolicy"/> to this host: decided once the server listens (its addresses are
/// known then), logged loudly when on, and off until then.
/// </summary>
internal sealed class DevelopmentTokenGate(IOptions<AuthOptions> auth, IHostEnvironment environment, IServer server, ILogger<DevelopmentTokenGate> logger)
{
    private bool? _allowed;

    public bool IsOpen => _allowed ??= Decide(log: false);

    /// <summary>Decides and logs the decision; called when the application has started.</summary>
    public void Announce() => _allowed = Decide(log: true);

    private bool Decide(bool log)
    {
        ICollection<string> addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        bool allowed = DevelopmentTokenPolicy.IsAllowed(auth.Value.EnableDevelopmentTokens, environment.EnvironmentName, addresses, out string reason);
        if (log && allowed)
        {
            Log.TokensOn(logger, reason);
        }
        else if (log && auth.Value.EnableDevelopmentTokens)
        {
            Log.TokensRefused(logger, reason);
        }

        return allowed;
    }
}
