using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Serverless.Core.Diagnostics;

namespace Serverless.Infra.Tests;

/// <summary>The deployment's alerts and workbook query what the app really exports, with the documented defaults.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed partial class OperationsViewTests(CompiledTemplate template)
{
    [Theory]
    [InlineData("job-failure-rate", MetricNames.JobsFinished)]
    [InlineData("ack-latency-p99", MetricNames.SubmitSpan)]
    [InlineData("control-queue-age", MetricNames.ControlQueueOldestMessageAge)]
    [InlineData("poison-messages", MetricNames.PoisonMessages)]
    public void Alert_QueriesWhatTheAppExports_OnApplicationInsights(string suffix, string name)
    {
        JsonElement rule = Rule(suffix);
        JsonElement properties = rule.GetProperty("properties");
        string query = properties.GetProperty("criteria").GetProperty("allOf")[0].GetProperty("query").GetString()!;

        Assert.Contains($"\"{name}\"", query, StringComparison.Ordinal);
        Assert.True(properties.GetProperty("enabled").GetBoolean());
        Assert.Equal("[parameters('appInsightsId')]", properties.GetProperty("scopes")[0].GetString());
        Assert.Equal("[variables('actions')]", properties.GetProperty("actions").GetString());
    }

    [Fact]
    public void AlertThresholds_DefaultsAreTheDocumentedOnes_AndReachTheAlerts()
    {
        JsonElement parameters = template.Root.GetProperty("parameters");
        Assert.Equal(1000, parameters.GetProperty("ackLatencyP99Ms").GetProperty("defaultValue").GetInt32());
        Assert.Equal(60, parameters.GetProperty("controlQueueAgeSeconds").GetProperty("defaultValue").GetInt32());

        JsonElement alertsModule = Module("alerts");
        JsonElement passed = alertsModule.GetProperty("properties").GetProperty("parameters");
        Assert.Equal("[parameters('ackLatencyP99Ms')]", passed.GetProperty("ackLatencyP99Ms").GetProperty("value").GetString());
        Assert.Equal("[parameters('controlQueueAgeSeconds')]", passed.GetProperty("controlQueueAgeSeconds").GetProperty("value").GetString());
        Assert.Contains("parameters('ackLatencyP99Ms')", Query(Rule("ack-latency-p99")), StringComparison.Ordinal);
        Assert.Contains("parameters('controlQueueAgeSeconds')", Query(Rule("control-queue-age")), StringComparison.Ordinal);
    }

    [Fact]
    public void Workbook_ShowsTheDashboardsViewsAndCapacity_OverApplicationInsights()
    {
        JsonElement workbook = Assert.Single(template.ResourcesOfType("Microsoft.Insights/workbooks"));
        Assert.Equal("shared", workbook.GetProperty("kind").GetString());
        Assert.Equal("[parameters('appInsightsId')]", workbook.GetProperty("properties").GetProperty("sourceId").GetString());

        Dictionary<string, string> views = Views().ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("query").GetString()!);
        Assert.Equal(["ack-latency", "failure-rate", "process", "stage-duration", "task-hub-age", "task-hub-queues", "throughput"], views.Keys.Order());
        Assert.Contains($"\"{MetricNames.JobsFinished}\"", views["throughput"], StringComparison.Ordinal);
        Assert.Contains($"\"{MetricNames.JobsFinished}\"", views["failure-rate"], StringComparison.Ordinal);
        Assert.Contains($"\"{MetricNames.SubmitSpan}\"", views["ack-latency"], StringComparison.Ordinal);
        Assert.Contains($"\"{MetricNames.StageSpan}\"", views["stage-duration"], StringComparison.Ordinal);
        foreach (string name in new[] { MetricNames.ControlQueueMessages, MetricNames.WorkItemQueueMessages, MetricNames.StagesWaiting })
        {
            Assert.Contains($"\"{name}\"", views["task-hub-queues"], StringComparison.Ordinal);
        }

        foreach (string name in new[] { MetricNames.ControlQueueOldestMessageAge, MetricNames.WorkItemQueueOldestMessageAge, MetricNames.PoisonMessages })
        {
            Assert.Contains($"\"{name}\"", views["task-hub-age"], StringComparison.Ordinal);
        }

        // The dashboard's windows: the last hour and the last 24 hours (the default); every chart follows the choice.
        Assert.Equal("TimeRange", WorkbookVariable("chart").GetProperty("timeContextFromParameter").GetString());
        JsonElement timeRange = WorkbookVariable("timeRange").GetProperty("content").GetProperty("parameters")[0];
        Assert.Equal("TimeRange", timeRange.GetProperty("name").GetString());
        Assert.Equal(86_400_000, timeRange.GetProperty("value").GetProperty("durationMs").GetInt64());
        Assert.Contains(3_600_000, timeRange.GetProperty("typeSettings").GetProperty("selectableValues").EnumerateArray().Select(v => v.GetProperty("durationMs").GetInt64()));
    }

    [Fact]
    public void EveryQueriedMetricName_IsOneTheAppExports()
    {
        HashSet<string> exported = [.. typeof(MetricNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!)];
        IEnumerable<string> queries = Views().Select(v => v.GetProperty("query").GetString()!)
            .Concat(template.ResourcesOfType("Microsoft.Insights/scheduledQueryRules").Select(Query));

        string[] unknown = [.. queries.SelectMany(q => QuotedName().Matches(q).Select(m => m.Groups[1].Value)).Where(n => !exported.Contains(n)).Distinct()];

        Assert.True(unknown.Length == 0, "queried but not exported: " + string.Join(", ", unknown));
    }

    private JsonElement Rule(string suffix) =>
        Assert.Single(template.ResourcesOfType("Microsoft.Insights/scheduledQueryRules"), r => r.GetProperty("name").GetString()!.Contains($"-{suffix}'", StringComparison.Ordinal));

    private static string Query(JsonElement rule) =>
        rule.GetProperty("properties").GetProperty("criteria").GetProperty("allOf")[0].GetProperty("query").GetString()!;

    private JsonElement Module(string name) =>
        Assert.Single(template.ResourcesOfType("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == name);

    private JsonElement.ArrayEnumerator Views() => WorkbookVariable("views").EnumerateArray();

    private JsonElement WorkbookVariable(string name) =>
        template.Templates().Single(t => t.TryGetProperty("variables", out JsonElement v) && v.TryGetProperty("workbookContent", out _))
            .GetProperty("variables").GetProperty(name);

    [GeneratedRegex("\"(serverless\\.[a-z_.]+)\"")]
    private static partial Regex QuotedName();
}
