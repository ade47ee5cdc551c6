using Serverless.Core.History;

namespace Serverless.Core.Tests.History;

public sealed class LatencyBucketsTests
{
    [Fact]
    public void Percentile_IsTheUpperBoundOfTheBucketTheRankFallsIn()
    {
        var buckets = new LatencyBuckets();
        foreach (double ms in new[] { 0.5, 3, 7, 7, 60, 60, 60, 60, 60, 4_000_000 })
        {
            buckets.Add(ms);
        }

        Assert.Equal(10, buckets.Count);
        Assert.Equal(1, buckets.Percentile(0.10));
        Assert.Equal(10, buckets.Percentile(0.40));
        Assert.Equal(100, buckets.Percentile(0.50));
        Assert.Equal(3_600_000, buckets.Percentile(1.0));
        Assert.Null(new LatencyBuckets().Percentile(0.5));
    }

    [Fact]
    public void ParseOfToString_RoundTrips_AndAnotherLayoutReadsAsEmpty()
    {
        var buckets = new LatencyBuckets();
        buckets.Add(12);
        buckets.Add(2000);

        LatencyBuckets parsed = LatencyBuckets.Parse(buckets.ToString());

        Assert.Equal(buckets.ToString(), parsed.ToString());
        Assert.Equal(2000, parsed.Percentile(1.0));
        Assert.Equal(0, LatencyBuckets.Parse("1,2,3").Count);
        Assert.Equal(0, LatencyBuckets.Parse(null).Count);
    }
}
