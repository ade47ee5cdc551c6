namespace Serverless.Cli.Commands;

/// <summary>Latency percentiles in milliseconds (nearest rank).</summary>
internal sealed record LatencySummary(double P50, double P95, double P99, double Max)
{
    public static LatencySummary From(IReadOnlyCollection<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0);
        }

        double[] sorted = [.. milliseconds.Order()];
        double Rank(double percentile) => sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary(Round(Rank(50)), Round(Rank(95)), Round(Rank(99)), Round(sorted[^1]));
    }

    private static double Round(double value) => Math.Round(value, 1);
}
