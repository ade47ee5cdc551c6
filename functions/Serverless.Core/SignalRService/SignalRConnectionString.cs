using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Serverless.Core.SignalRService;

/// <summary>
/// A parsed Azure SignalR Service connection string, read as the service's SDK reads it:
/// <c>Endpoint=…;AccessKey=…;Version=1.0;</c> with optional <c>Port=</c>, <c>ClientEndpoint=</c> and <c>ServerEndpoint=</c>.
/// Only access keys are taken: upstream calls are signed with them (<c>X-ASRS-Signature</c>), so the app needs one anyway.
/// </summary>
internal sealed record SignalRConnectionString
{
    // IdentityModel refuses HS256 keys shorter than 256 bits; real access keys are 44 characters.
    private const int MinAccessKeyLength = 32;

    /// <summary>The service endpoint with <c>Port</c> applied, ending in a slash.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Where clients connect (negotiate hands this out): <c>ClientEndpoint</c>, else <see cref="Endpoint"/>; ends in a slash.</summary>
    public required Uri ClientEndpoint { get; init; }

    /// <summary>Where the app calls the REST API: <c>ServerEndpoint</c>, else <see cref="Endpoint"/>; ends in a slash.</summary>
    public required Uri ServerEndpoint { get; init; }

    /// <summary>The key that signs access tokens and upstream signatures.</summary>
    public required string AccessKey { get; init; }

    /// <summary>
    /// What tokens' <c>aud</c> starts with: <c>scheme://host/</c> of <see cref="Endpoint"/>, without the port and
    /// whatever <c>ClientEndpoint</c>/<c>ServerEndpoint</c> say, as the service's SDK builds it.
    /// </summary>
    public string AudienceBase => $"{Endpoint.Scheme}://{Endpoint.Host}/";

    /// <summary>Parses <paramref name="connectionString"/>; throws <see cref="FormatException"/> with the reason.</summary>
    public static SignalRConnectionString Parse(string? connectionString) =>
        TryParse(connectionString, out SignalRConnectionString? parsed, out string? error) ? parsed : throw new FormatException(error);

    public static bool TryParse(
        string? connectionString,
        [NotNullWhen(true)] out SignalRConnectionString? parsed,
        [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in (connectionString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"'{Redact(part)}' is not a Key=Value pair.";
                return false;
            }

            values[part[..equals].Trim()] = part[(equals + 1)..].Trim();
        }

        if (!TryEndpoint(values, "Endpoint", out Uri? endpoint, out error))
        {
            return false;
        }

        if (endpoint is null)
        {
            error = "Endpoint must be an absolute http(s) URL.";
            return false;
        }

        // The SDK takes 1.x.
        if (values.TryGetValue("Version", out string? version) && !version.StartsWith("1.", StringComparison.Ordinal))
        {
            error = $"Version '{version}' is not supported; use 1.0.";
            return false;
        }

        var builder = new UriBuilder(endpoint) { Path = "/", Query = "", Fragment = "" };
        if (values.TryGetValue("Port", out string? portText))
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                error = "Port must be a number from 1 to 65535.";
                return false;
            }

            builder.Port = port;
        }

        if (!TryEndpoint(values, "ClientEndpoint", out Uri? clientEndpoint, out error)
            || !TryEndpoint(values, "ServerEndpoint", out Uri? serverEndpoint, out error))
        {
            return false;
        }

        if (values.TryGetValue("AuthType", out string? authType))
        {
            error = $"AuthType '{authType}' is not supported; use the instance's AccessKey (upstream signatures are checked with it).";
            return false;
        }

        if (!values.TryGetValue("AccessKey", out string? accessKey) || accessKey.Length < MinAccessKeyLength)
        {
            error = $"AccessKey must be set (at least {MinAccessKeyLength} characters).";
            return false;
        }

        parsed = new SignalRConnectionString
        {
            Endpoint = builder.Uri,
            ClientEndpoint = clientEndpoint ?? builder.Uri,
            ServerEndpoint = serverEndpoint ?? builder.Uri,
            AccessKey = accessKey,
        };
        error = null;
        return true;
    }

    /// <summary>An optional absolute http(s) URL, kept with its path (a gateway's prefix) and a trailing slash.</summary>
    private static bool TryEndpoint(Dictionary<string, string> values, string key, out Uri? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        error = null;
        if (!values.TryGetValue(key, out string? text))
        {
            return true;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            error = $"{key} must be an absolute http(s) URL without query.";
            return false;
        }

        endpoint = new UriBuilder(uri) { Path = uri.AbsolutePath.TrimEnd('/') + "/" }.Uri;
        return true;
    }

    // Never echo a key back into a log or an error.
    private static string Redact(string part) => part.Length <= 12 ? part : part[..12] + "…";

    // The key must not leak through ToString() (records print every property).
    public override string ToString() =>
        $"Endpoint={Endpoint};ClientEndpoint={ClientEndpoint};ServerEndpoint={ServerEndpoint};AccessKey=***";
}
