using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Client;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// Azure SignalR Service away for a whole job: progress is persisted first and pushed second, so the job completes,
/// health shows the push circuit open, and a client that comes back resumes with every message.
/// </summary>
public sealed class PushOutageTests : IAsyncLifetime
{
    private AzurePathStack _stack = null!;

    public async Task InitializeAsync() => _stack = await AzurePathStack.StartAsync(new Dictionary<string, string?>
    {
        ["SignalR__BreakerMinimumThroughput"] = "3",
        ["SignalR__MaxRetries"] = "0",
        ["SignalR__AttemptTimeout"] = "00:00:01",
    });

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task ServiceStoppedForAWholeJob_JobCompletes_HealthShowsTheBreaker_ResumeDeliversEverything()
    {
        await using (HubClient before = await HubClient.NegotiateAndConnectAsync(_stack.BaseAddress, _stack.TokenFor("outage-user")))
        {
            Assert.Equal(MessageTypes.Result, (await before.SubmitAsync("warm-1", "echo", new { })).Type);
        }

        await _stack.Emulator.StopAsync();
        using HttpClient http = _stack.CreateHttpClient("outage-user");
        using HttpResponseMessage submitted = await http.PostAsJsonAsync(new Uri("api/jobs", UriKind.Relative), new
        {
            requestId = "outage-1",
            action = "simulate",
            payload = new { stages = 2, durationMs = 4000, updates = 20 },
        });
        string jobId = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("jobId").GetString()!;
        JobView finished = await _stack.WaitForJobAsync("outage-user", jobId, job => JobStatus.IsTerminal(job.Status), TimeSpan.FromSeconds(120));
        string push = await PushHealthAsync(http);

        await _stack.Emulator.RestartAsync();
        await using HubClient after = await HubClient.NegotiateAndConnectAsync(_stack.BaseAddress, _stack.TokenFor("outage-user"));
        JobMessage[] resumed = await after.ResumeAsync(jobId, 0);

        Assert.Equal(JobStatus.Completed, finished.Status);
        Assert.Equal("red", push);
        Assert.Equal(finished.LastSeq, resumed.Length);
        Assert.Equal(Enumerable.Range(1, resumed.Length).Select(i => (long)i), resumed.Select(m => m.Seq!.Value));
        Assert.Equal(MessageTypes.Completed, resumed[^1].Type);
    }

    private static async Task<string> PushHealthAsync(HttpClient http)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri("api/health", UriKind.Relative));
        using JsonDocument report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return report.RootElement.GetProperty("dependencies").EnumerateArray()
            .Single(d => d.GetProperty("name").GetString() == "push").GetProperty("status").GetString()!;
    }
}
