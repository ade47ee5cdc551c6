namespace Serverless.Protocol;

/// <summary>Request priorities: <c>low</c>, <c>normal</c> (default) and <c>high</c>.</summary>
public static class JobPriority
{
    /// <summary>A waiting stage enters after waiting normal and high ones.</summary>
    public const string Low = "low";

    /// <summary>The default, taken when a request gives none.</summary>
    public const string Normal = "normal";

    /// <summary>A waiting stage enters before waiting normal and low ones.</summary>
    public const string High = "high";

    /// <summary>The canonical name (case-insensitive; null or empty is <see cref="Normal"/>), or null when <paramref name="value"/> is not a priority.</summary>
    public static string? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or Normal => Normal,
        Low => Low,
        High => High,
        _ => null,
    };
}
