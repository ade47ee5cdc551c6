using Serverless.Core.Diagnostics;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Diagnostics;

public sealed class PrometheusMetricsTests
{
    [Fact]
    public void Render_TwoHostsInOneProcess_EachShowsOnlyItsOwnCounts()
    {
        ServerlessMetrics first = TestMetrics.Create();
        ServerlessMetrics second = TestMetrics.Create();
        using var firstText = new PrometheusMetrics(first);
        using var secondText = new PrometheusMetrics(second);

        first.JobsSubmitted.Add(3, new("action", "echo"), new("mode", JobMode.Sync));
        second.JobsSubmitted.Add(5, new("action", "echo"), new("mode", JobMode.Sync));
        second.RequestsRejected.Add(1, new KeyValuePair<string, object?>("code", ErrorCodes.RateLimited));

        string firstRendered = firstText.Render();
        string secondRendered = secondText.Render();
        Assert.Contains("serverless_jobs_submitted_total{action=\"echo\",mode=\"sync\"} 3\n", firstRendered, StringComparison.Ordinal);
        Assert.DoesNotContain("serverless_requests_rejected", firstRendered, StringComparison.Ordinal);
        Assert.Contains("serverless_jobs_submitted_total{action=\"echo\",mode=\"sync\"} 5\n", secondRendered, StringComparison.Ordinal);
        Assert.Contains("serverless_requests_rejected_total{code=\"RATE_LIMITED\"} 1\n", secondRendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EveryTagValueMakesItsOwnSeries_ThreeTagsAndMore()
    {
        ServerlessMetrics metrics = TestMetrics.Create();
        using var text = new PrometheusMetrics(metrics);

        metrics.RoutingDecisions.Add(2, new("action", "echo"), new("mode", JobMode.Sync), new("basis", "declared"));
        metrics.RoutingDecisions.Add(3, new("action", "echo"), new("mode", JobMode.Sync), new("basis", "observed"));
        metrics.RoutingDecisions.Add(1, new("action", "echo"), new("mode", JobMode.Sync), new("basis", "observed"));
        metrics.RoutingDecisions.Add(4, new("action", "echo"), new("mode", JobMode.Sync), new("basis", "observed"), new("extra", "a"));
        metrics.RoutingDecisions.Add(5, new("action", "echo"), new("mode", JobMode.Sync), new("basis", "observed"), new("extra", "b"));

        string rendered = text.Render();
        Assert.Contains("{action=\"echo\",basis=\"declared\",mode=\"sync\"} 2\n", rendered, StringComparison.Ordinal);
        Assert.Contains("{action=\"echo\",basis=\"observed\",mode=\"sync\"} 4\n", rendered, StringComparison.Ordinal);
        Assert.Contains("{action=\"echo\",basis=\"observed\",extra=\"a\",mode=\"sync\"} 4\n", rendered, StringComparison.Ordinal);
        Assert.Contains("{action=\"echo\",basis=\"observed\",extra=\"b\",mode=\"sync\"} 5\n", rendered, StringComparison.Ordinal);
    }
}
