using System.Diagnostics.CodeAnalysis;

namespace Serverless.Core.Security;

/// <summary>An authenticated caller. Jobs belong to <see cref="OwnerId"/>: the tenant (when present) plus the user.</summary>
internal sealed record CallerIdentity(string UserId, string? TenantId = null)
{
    /// <summary>The longest user or tenant id accepted: 128 characters.</summary>
    public const int MaxIdLength = 128;

    /// <summary>
    /// The owner of the caller's jobs and their push target (SignalR user id); tenants never share owners, and
    /// no user id can pose as another tenant's user. See <c>docs/PROTOCOL.md</c>, "Owner ids".
    /// </summary>
    public string OwnerId => OwnerIds.Format(TenantId, UserId);

    /// <summary>The caller an owner id (e.g. a SignalR user id this service issued) stands for; false for any other text.</summary>
    public static bool TryFromOwnerId(string? ownerId, [NotNullWhen(true)] out CallerIdentity? caller) =>
        OwnerIds.TryParse(ownerId, out caller);

    /// <summary>
    /// Whether <paramref name="id"/> may be a user or tenant id: 1–<see cref="MaxIdLength"/> characters, not all
    /// white space, no control characters and well-formed UTF-16 (no unpaired surrogate).
    /// </summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= MaxIdLength && !id.Any(char.IsControl) && !HasUnpairedSurrogate(id);

    /// <summary>Whether <paramref name="text"/> holds a surrogate that is not part of a pair (not valid UTF-16).</summary>
    public static bool HasUnpairedSurrogate(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
