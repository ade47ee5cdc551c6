namespace Serverless.Protocol;

/// <summary>Health colours: green (working), yellow (degraded, jobs still safe), red (not working).</summary>
public static class HealthStatus
{
    public const string Green = "green";
    public const string Yellow = "yellow";
    public const string Red = "red";

    /// <summary>The worse of two statuses.</summary>
    public static string Worst(string a, string b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(string status) => status switch
    {
        Green => 0,
        Yellow => 1,
        _ => 2,
    };
}

/// <summary>One dependency's state.</summary>
public sealed record DependencyHealth(string Name, string Status, string Detail, double LatencyMs);

/// <summary>The answer of <c>GET /api/health</c>: the worst dependency status, and each dependency.</summary>
public sealed record HealthReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<DependencyHealth> Dependencies);
