using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.Security;

/// <summary>How callers' bearer tokens are checked. Section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section these options bind from: <c>Auth</c>.</summary>
    public const string Section = "Auth";

    /// <summary>Expected <c>iss</c>; default <c>serverless-dev</c>.</summary>
    [Required]
    public string Issuer { get; set; } = "serverless-dev";

    /// <summary>Expected <c>aud</c>; default <c>serverless</c>.</summary>
    [Required]
    public string Audience { get; set; } = "serverless";

    /// <summary>HS256 key (at least 32 bytes of text). Required unless <see cref="MetadataAddress"/> is set.</summary>
    public string? SigningKey { get; set; }

    /// <summary>OpenID Connect metadata URL of an identity provider, instead of a shared key.</summary>
    public Uri? MetadataAddress { get; set; }

    /// <summary>Lifetime of tokens this service issues (development tokens, SignalR tokens); default 1 h.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Longest remaining lifetime a caller's token may have: one whose <c>exp</c> is further than this from now
    /// is refused, so a leaked long-lived token is not good for years; default 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whether <c>POST /api/dev/token</c> issues tokens for any user; default false. Never enable in production.</summary>
    public bool EnableDevelopmentTokens { get; set; }
}
