using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Client;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// A crash of the Functions host (SIGKILL of the host and its worker) with jobs mid-stage: after a restart every job
/// completes and its history holds exactly one terminal event. The Durable extension keeps a crashed host's messages
/// invisible for at least a minute, so recovery takes that long by design.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private const int Jobs = 20;
    private AzurePathStack _stack = null!;

    public async Task InitializeAsync() => _stack = await AzurePathStack.StartAsync(new Dictionary<string, string?>
    {
        // The least the extension accepts: bounds how long the crashed host's work stays hidden.
        ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:01:00",
        ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout"] = "00:01:00",
        ["AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions"] = "32",
    });

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task KillDashNine_TwentyJobsMidStage_EveryJobCompletesWithOneTerminalEvent()
    {
        await using JobClient reader = _stack.CreateClient("crash-user");
        using HttpClient http = _stack.CreateHttpClient("crash-user");
        string[] jobIds = await Task.WhenAll(Enumerable.Range(0, Jobs).Select(i => SubmitAsync(http, $"crash-{i}")));
        await WaitAllAsync(jobIds, job => job.Status == JobStatus.Running && job.Percent > 0, TimeSpan.FromSeconds(90));

        await _stack.Host.KillAsync();
        await _stack.Host.RestartAsync();
        await WaitAllAsync(jobIds, job => JobStatus.IsTerminal(job.Status), TimeSpan.FromMinutes(4));

        foreach (string jobId in jobIds)
        {
            JobView view = await reader.GetStatusAsync(jobId);
            IReadOnlyList<JobMessage> history = await reader.GetEventsAsync(jobId);
            Assert.Equal(JobStatus.Completed, view.Status);
            Assert.Single(history, m => MessageTypes.IsTerminal(m.Type));
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(m => m.Seq!.Value));
        }
    }

    private static async Task<string> SubmitAsync(HttpClient http, string requestId)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync(new Uri("api/jobs", UriKind.Relative), new
        {
            requestId,
            action = "simulate",
            payload = new { stages = 2, durationMs = 40000, updates = 40 },
        });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetString()!;
    }

    private Task<JobView[]> WaitAllAsync(string[] jobIds, Func<JobView, bool> condition, TimeSpan timeout) =>
        Task.WhenAll(jobIds.Select(jobId => _stack.WaitForJobAsync("crash-user", jobId, condition, timeout)));
}
