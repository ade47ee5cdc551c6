using Serverless.Cli.Commands;

namespace Serverless.Client.Tests;

public sealed class LatencySummaryTests
{
    [Fact]
    public void From_HundredSamples_UsesNearestRank()
    {
        LatencySummary summary = LatencySummary.From([.. Enumerable.Range(1, 100).Select(i => (double)i)]);

        Assert.Equal(new LatencySummary(50, 95, 99, 100), summary);
    }

    [Fact]
    public void From_NoSamples_IsZero() => Assert.Equal(new LatencySummary(0, 0, 0, 0), LatencySummary.From([]));
}
