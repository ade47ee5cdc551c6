using System.Net;
using System.Net.Http.Json;
using Serverless.Core.Diagnostics;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>
/// What an operator sees of a host's capacity while a job runs, the same way on every host: <c>/api/stats</c>'s
/// <c>capacity</c> and the Prometheus series of <c>/api/metrics</c>.
/// </summary>
public static class CapacityView
{
    /// <summary>Every capacity series <c>/api/metrics</c> must carry, with its Prometheus type.</summary>
    public static readonly IReadOnlyDictionary<string, string> Series = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet_process_cpu_time_seconds_total"] = "counter",
        ["dotnet_process_memory_working_set_bytes"] = "gauge",
        ["dotnet_gc_pause_time_seconds_total"] = "counter",
        ["dotnet_thread_pool_queue_length"] = "gauge",
        ["serverless_stages_running"] = "gauge",
        ["serverless_stages_waiting"] = "gauge",
        ["serverless_durable_control_queue_messages"] = "gauge",
        ["serverless_durable_control_queue_oldest_message_age_seconds"] = "gauge",
        ["serverless_durable_work_item_queue_messages"] = "gauge",
        ["serverless_durable_work_item_queue_oldest_message_age_seconds"] = "gauge",
        ["serverless_durable_poison_messages"] = "gauge",
    };

    /// <summary>
    /// Starts an 8-second <c>simulate</c> job as <paramref name="http"/>'s user, waits until <c>/api/stats</c> shows a
    /// stage running and a task hub sample, and checks both views; returns the stats then seen.
    /// </summary>
    public static async Task<JobStatisticsSnapshot> AssertVisibleWhileAJobRunsAsync(HttpClient http, string requestId, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        HttpResponseMessage submitted = await http.PostAsJsonAsync(
            new Uri("api/jobs", UriKind.Relative), new { requestId, action = "simulate", payload = new { stages = 1, durationMs = 8000, updates = 4 } }).ConfigureAwait(false);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);

        using var deadline = new CancellationTokenSource(timeout);
        JobStatisticsSnapshot stats;
        while (true)
        {
            stats = (await http.GetFromJsonAsync(new Uri("api/stats", UriKind.Relative), ProtocolJson.Default.JobStatisticsSnapshot, deadline.Token).ConfigureAwait(false))!;
            if (stats.Capacity.StagesRunning >= 1 && stats.Capacity.ControlQueueMessages is not null)
            {
                break;
            }

            await Task.Delay(200, deadline.Token).ConfigureAwait(false);
        }

        string metrics = await http.GetStringAsync(new Uri("api/metrics", UriKind.Relative), deadline.Token).ConfigureAwait(false);
        foreach ((string name, string type) in Series)
        {
            Assert.Contains($"# TYPE {name} {type}\n", metrics, StringComparison.Ordinal);
        }

        Assert.True(PrometheusText.Value(metrics, "dotnet_process_memory_working_set_bytes") > 0, "no working set in /api/metrics");
        Assert.True(PrometheusText.Value(metrics, "dotnet_process_cpu_time_seconds_total{cpu_mode=\"user\"}") > 0, "no CPU time in /api/metrics");
        Assert.True(PrometheusText.Value(metrics, "serverless_stages_running") >= 1, "the running stage is not in /api/metrics");
        Assert.Equal(0, PrometheusText.Value(metrics, "serverless_durable_poison_messages"));

        CapacitySnapshot capacity = stats.Capacity;
        Assert.True(capacity.WorkingSetBytes > 0, $"working set {capacity.WorkingSetBytes}");
        Assert.True(capacity.ThreadPoolQueueLength >= 0, $"thread-pool queue {capacity.ThreadPoolQueueLength}");
        Assert.True(capacity.ControlQueueOldestAgeSeconds >= 0, $"control queue age {capacity.ControlQueueOldestAgeSeconds}");
        Assert.Equal(0, capacity.PoisonMessages);
        return stats;
    }
}
