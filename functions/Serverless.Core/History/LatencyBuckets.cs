using System.Globalization;

namespace Serverless.Core.History;

/// <summary>
/// Latencies counted in 1-2-5 buckets from 1 ms to 1 hour: small enough to store per minute and action, and
/// mergeable across host instances, so percentiles of the whole deployment come out of the stored rows. A
/// percentile is the upper bound of the bucket it falls in (at most 2.5× the true value, usually much closer).
/// </summary>
internal sealed class LatencyBuckets
{
    /// <summary>Bucket upper bounds in milliseconds; a last, open bucket holds anything above an hour.</summary>
    public static readonly IReadOnlyList<double> UpperBoundsMs = BuildBounds();

    private readonly long[] _counts;

    public LatencyBuckets() => _counts = new long[UpperBoundsMs.Count + 1];

    private LatencyBuckets(long[] counts) => _counts = counts;

    public long Count => _counts.Sum();

    public void Add(double milliseconds)
    {
        int index = 0;
        while (index < UpperBoundsMs.Count && milliseconds > UpperBoundsMs[index])
        {
            index++;
        }

        _counts[index]++;
    }

    public void Merge(LatencyBuckets other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    /// <summary>The upper bound of the bucket holding the <paramref name="fraction"/> quantile; null when empty.</summary>
    public double? Percentile(double fraction)
    {
        long total = Count;
        if (total == 0)
        {
            return null;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                // The open bucket has no upper bound: report its lower one.
                return i < UpperBoundsMs.Count ? UpperBoundsMs[i] : UpperBoundsMs[^1];
            }
        }

        return UpperBoundsMs[^1];
    }

    /// <summary>The counts as stored: comma-separated, one per bucket.</summary>
    public override string ToString() => string.Join(',', _counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Reads <see cref="ToString"/>'s form; anything else (another bucket layout) reads as empty.</summary>
    public static LatencyBuckets Parse(string? stored)
    {
        string[] parts = (stored ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var counts = new long[UpperBoundsMs.Count + 1];
        if (parts.Length != counts.Length)
        {
            return new LatencyBuckets(counts);
        }

        for (int i = 0; i < parts.Length; i++)
        {
            counts[i] = long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out long count) ? count : 0;
        }

        return new LatencyBuckets(counts);
    }

    private static double[] BuildBounds()
    {
        var bounds = new List<double>();
        for (double decade = 1; decade < 3_600_000; decade *= 10)
        {
            bounds.AddRange([decade, decade * 2, decade * 5]);
        }

        bounds.Add(3_600_000);
        return [.. bounds.Where(b => b <= 3_600_000).Distinct().Order()];
    }
}
