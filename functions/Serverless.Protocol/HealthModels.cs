namespace Serverless.Protocol;

/// <summary>Health colours: green (working), yellow (degraded, jobs still safe), red (not working).</summary>
public static class HealthStatus
{
    /// <summary>Working.</summary>
    public const string Green = "green";

    /// <summary>Degraded, e.g. answering slowly; jobs are still safe.</summary>
    public const string Yellow = "yellow";

    /// <summary>Not working; <c>GET /api/health</c> answers 503 while any dependency is red.</summary>
    public const string Red = "red";

    /// <summary>The worse of two statuses; an unknown value counts as <see cref="Red"/>.</summary>
    public static string Worst(string a, string b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(string status) => status switch
    {
        Green => 0,
        Yellow => 1,
        _ => 2,
    };
}

/// <summary>One dependency's state.</summary>
/// <param name="Name">The dependency, e.g. <c>storage</c> or <c>push</c>.</param>
/// <param name="Status">One of <see cref="HealthStatus"/>.</param>
/// <param name="Detail">What was seen, for people.</param>
/// <param name="LatencyMs">How long the check took, in milliseconds.</param>
public sealed record DependencyHealth(string Name, string Status, string Detail, double LatencyMs);

/// <summary>The answer of <c>GET /api/health</c>: the worst dependency status, and each dependency.</summary>
/// <param name="Status">The worst of the dependencies' statuses (<see cref="HealthStatus"/>).</param>
/// <param name="CheckedAt">When the checks ran.</param>
/// <param name="Dependencies">Each dependency's state.</param>
public sealed record HealthReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<DependencyHealth> Dependencies);
