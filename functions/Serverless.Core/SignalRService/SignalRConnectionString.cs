using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Serverless.Core.SignalRService;

/// <summary>
/// A parsed Azure SignalR Service connection string: the endpoint, and either an access key or managed
/// identity (<c>AuthType=azure.msi</c>, optionally with a user-assigned <c>ClientId</c>).
/// </summary>
public sealed record SignalRConnectionString
{
    // IdentityModel refuses HS256 keys shorter than 256 bits; real access keys are 44 characters.
    private const int MinAccessKeyLength = 32;

    /// <summary>The service endpoint, without a trailing slash, with <c>Port</c> applied.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The key that signs access tokens; null with managed identity.</summary>
    public string? AccessKey { get; init; }

    /// <summary>The client id of a user-assigned managed identity; null for the system-assigned one.</summary>
    public string? ClientId { get; init; }

    /// <summary>Whether tokens come from Microsoft Entra ID instead of an access key.</summary>
    [MemberNotNullWhen(false, nameof(AccessKey))]
    public bool UsesManagedIdentity => AccessKey is null;

    /// <summary>The endpoint as text, without a trailing slash, for building request URLs.</summary>
    public string BaseUrl => Endpoint.GetLeftPart(UriPartial.Authority);

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

        if (!values.TryGetValue("Endpoint", out string? endpointText)
            || !Uri.TryCreate(endpointText, UriKind.Absolute, out Uri? endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            error = "Endpoint must be an absolute http(s) URL.";
            return false;
        }

        if (values.TryGetValue("Version", out string? version) && version != "1.0")
        {
            error = $"Version '{version}' is not supported; use 1.0.";
            return false;
        }

        var builder = new UriBuilder(endpoint) { Path = "", Query = "", Fragment = "" };
        if (values.TryGetValue("Port", out string? portText))
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                error = "Port must be a number from 1 to 65535.";
                return false;
            }

            builder.Port = port;
        }

        values.TryGetValue("AuthType", out string? authType);
        values.TryGetValue("AccessKey", out string? accessKey);
        values.TryGetValue("ClientId", out string? clientId);
        if (authType is not null && !authType.Equals("azure.msi", StringComparison.OrdinalIgnoreCase))
        {
            error = $"AuthType '{authType}' is not supported; use azure.msi (managed identity) or an AccessKey.";
            return false;
        }

        bool managedIdentity = authType is not null;
        if (!managedIdentity && (accessKey is null || accessKey.Length < MinAccessKeyLength))
        {
            error = $"AccessKey must be set (at least {MinAccessKeyLength} characters), or AuthType=azure.msi for managed identity.";
            return false;
        }

        parsed = new SignalRConnectionString
        {
            Endpoint = builder.Uri,
            AccessKey = managedIdentity ? null : accessKey,
            ClientId = string.IsNullOrEmpty(clientId) ? null : clientId,
        };
        error = null;
        return true;
    }

    // Never echo a key back into a log or an error.
    private static string Redact(string part) => part.Length <= 12 ? part : part[..12] + "…";

    // The key must not leak through ToString() (records print every property).
    public override string ToString() => $"Endpoint={BaseUrl};{(UsesManagedIdentity ? "AuthType=azure.msi" : "AccessKey=***")}";
}
