using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Serverless.Core.Security;

/// <summary>
/// The owner id of a caller: tenant and user encoded so that no two callers share one. Each part keeps
/// <c>[A-Za-z0-9._-]</c> and writes every other UTF-8 byte as <c>~XX</c> (upper-case hex); a tenant comes
/// first, separated by <c>~~</c>, which no encoded part contains. The result needs no escaping in a URL path
/// segment (no <c>/</c>, <c>%</c>, or a bare <c>.</c> / <c>..</c>), so it is also the SignalR user id.
/// A user without a tenant whose id is already of those characters keeps that id as the owner id.
/// </summary>
internal static class OwnerIds
{
    private const char Escape = '~';
    private const string Separator = "~~";

    // Throws on unpaired surrogates instead of writing U+FFFD, which would make two ids one.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Format(string? tenantId, string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return tenantId is null ? Encode(userId) : Encode(tenantId) + Separator + Encode(userId);
    }

    /// <summary>The caller an owner id was made for; false for any text <see cref="Format"/> cannot produce.</summary>
    public static bool TryParse(string? ownerId, [NotNullWhen(true)] out CallerIdentity? caller)
    {
        caller = null;
        if (string.IsNullOrEmpty(ownerId))
        {
            return false;
        }

        int separator = ownerId.IndexOf(Separator, StringComparison.Ordinal);
        string? tenant = null;
        string userPart = ownerId;
        if (separator >= 0)
        {
            if (!TryDecode(ownerId[..separator], out tenant))
            {
                return false;
            }

            userPart = ownerId[(separator + Separator.Length)..];
        }

        if (!TryDecode(userPart, out string? user) || !CallerIdentity.IsValidId(user) || (tenant is not null && !CallerIdentity.IsValidId(tenant)))
        {
            return false;
        }

        // Only the canonical form is accepted, so one caller has exactly one owner id.
        var parsed = new CallerIdentity(user, tenant);
        if (!string.Equals(parsed.OwnerId, ownerId, StringComparison.Ordinal))
        {
            return false;
        }

        caller = parsed;
        return true;
    }

    private static string Encode(string part)
    {
        bool onlyDots = part.All(c => c == '.');
        var text = new StringBuilder(part.Length);
        foreach (byte b in StrictUtf8.GetBytes(part))
        {
            if (!onlyDots && (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'_' or (byte)'-'))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(Escape).Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static bool TryDecode(string encoded, [NotNullWhen(true)] out string? part)
    {
        part = null;
        if (encoded.Length == 0)
        {
            return false;
        }

        var bytes = new List<byte>(encoded.Length);
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == Escape)
            {
                if (i + 2 >= encoded.Length
                    || !byte.TryParse(encoded.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
                {
                    return false;
                }

                bytes.Add(b);
                i += 2;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            {
                bytes.Add((byte)c);
            }
            else
            {
                return false;
            }
        }

        try
        {
            part = StrictUtf8.GetString([.. bytes]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
