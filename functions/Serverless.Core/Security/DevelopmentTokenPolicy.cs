using System.Net;

namespace Serverless.Core.Security;

/// <summary>
/// When a host may issue development tokens (<c>POST /api/dev/token</c>, a token for anyone who asks):
/// only with <see cref="AuthOptions.EnableDevelopmentTokens"/>, in the Development environment, and while
/// every address the host listens on is a loopback one.
/// </summary>
internal static class DevelopmentTokenPolicy
{
    /// <summary>Whether development tokens are on; <paramref name="reason"/> says why not (or that they are).</summary>
    public static bool IsAllowed(bool enabled, string environmentName, IEnumerable<string> listenAddresses, out string reason)
    {
        ArgumentNullException.ThrowIfNull(listenAddresses);
        if (!enabled)
        {
            reason = "Auth:EnableDevelopmentTokens is false.";
            return false;
        }

        if (!string.Equals(environmentName, "Development", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"the environment is '{environmentName}', not Development.";
            return false;
        }

        string[] addresses = [.. listenAddresses];
        string[] exposed = [.. addresses.Where(a => !IsLoopback(a))];
        if (addresses.Length == 0 || exposed.Length > 0)
        {
            reason = addresses.Length == 0 ? "the listening addresses are not known." : $"the host listens beyond loopback ({string.Join(", ", exposed)}).";
            return false;
        }

        reason = $"Development environment, listening on loopback only ({string.Join(", ", addresses)}).";
        return true;
    }

    /// <summary>Whether a listening URL (e.g. <c>http://127.0.0.1:5080</c>) accepts loopback connections only; <c>*</c>, <c>+</c> and <c>0.0.0.0</c> do not.</summary>
    public static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal), UriKind.Absolute, out Uri? url))
        {
            return false;
        }

        return url.IsLoopback && (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(url.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }
}
