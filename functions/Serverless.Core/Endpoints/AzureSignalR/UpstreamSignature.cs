using System.Security.Cryptography;
using System.Text;

namespace Serverless.Core.Endpoints.AzureSignalR;

/// <summary>
/// <c>X-ASRS-Signature</c>: <c>sha256=</c> + hex(HMAC-SHA256(accessKey, connectionId)) for each of the
/// instance's keys, comma-separated. A request is genuine when any entry matches any configured key.
/// </summary>
internal static class UpstreamSignature
{
    private const string Prefix = "sha256=";

    public static string Compute(string accessKey, string connectionId) =>
        Prefix + Convert.ToHexStringLower(Hmac(accessKey, connectionId));

    public static bool IsValid(string? connectionId, string? header, IReadOnlyList<string> accessKeys)
    {
        if (string.IsNullOrEmpty(connectionId) || string.IsNullOrWhiteSpace(header) || accessKeys.Count == 0)
        {
            return false;
        }

        byte[][] expected = [.. accessKeys.Select(key => Hmac(key, connectionId))];
        foreach (string entry in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!entry.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || !TryFromHex(entry[Prefix.Length..], out byte[] given))
            {
                continue;
            }

            foreach (byte[] candidate in expected)
            {
                if (CryptographicOperations.FixedTimeEquals(candidate, given))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static byte[] Hmac(string key, string connectionId) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(connectionId));

    private static bool TryFromHex(string hex, out byte[] bytes)
    {
        bytes = new byte[hex.Length / 2];
        return hex.Length == 64 && Convert.FromHexString(hex, bytes, out _, out _) == System.Buffers.OperationStatus.Done;
    }
}
