namespace Serverless.Protocol;

/// <summary>Request priorities: <c>low</c>, <c>normal</c> (default) and <c>high</c>.</summary>
public static class JobPriority
{
    public const string Low = "low";
    public const string Normal = "normal";
    public const string High = "high";

    /// <summary>The canonical name, or null when <paramref name="value"/> is not a priority.</summary>
    public static string? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or Normal => Normal,
        Low => Low,
        High => High,
        _ => null,
    };
}
