using System.Globalization;

namespace Serverless.Testing;

/// <summary>Reads one series from <c>/api/metrics</c> text, so a test can assert on the change its own work made.</summary>
public static class PrometheusText
{
    /// <summary>The value of the series written exactly as <paramref name="series"/> (name and labels); 0 when absent.</summary>
    public static double Value(string metrics, string series)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        string? line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
