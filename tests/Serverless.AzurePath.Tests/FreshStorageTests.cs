using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>The app on an empty storage account, as a new deployment starts: it creates what it needs and says when something is missing.</summary>
public sealed class FreshStorageTests : IAsyncLifetime
{
    private AzurePathStack _stack = null!;

    // As scripts/run-azure-local.sh runs it: development tokens on, in Development, on loopback.
    public async Task InitializeAsync() => _stack = await AzurePathStack.StartAsync(new Dictionary<string, string?> { ["Auth__EnableDevelopmentTokens"] = "true" });

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task AsyncSubmit_FirstThingOnAnEmptyAccount_IsAcceptedAndCompletes()
    {
        using HttpClient http = _stack.CreateHttpClient("first-user");
        using var body = new StringContent(
            """{"requestId":"first-1","action":"simulate","payload":{"stages":1,"durationMs":300,"updates":3}}""", Encoding.UTF8, "application/json");

        using HttpResponseMessage submitted = await http.PostAsync(new Uri("api/jobs", UriKind.Relative), body);
        string answer = await submitted.Content.ReadAsStringAsync();

        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, $"{(int)submitted.StatusCode} {answer}\n{_stack.Diagnostics()}");
        string jobId = JsonDocument.Parse(answer).RootElement.GetProperty("jobId").GetString()!;
        Assert.Equal($"/api/jobs/{jobId}", submitted.Headers.Location!.OriginalString);
        JobView finished = await _stack.WaitForJobAsync("first-user", jobId, job => JobStatus.IsTerminal(job.Status), TimeSpan.FromSeconds(90));
        Assert.Equal(JobStatus.Completed, finished.Status);
    }

    [Fact]
    public async Task Health_TableDeletedAfterStart_ReportsStorageRedNamingIt()
    {
        using HttpClient http = _stack.CreateHttpClient(user: null);
        await WaitForHealthAsync(http, HttpStatusCode.OK);

        await new TableServiceClient(_stack.Azurite.ConnectionString).DeleteTableAsync("userjobs");
        JsonElement storage = await WaitForHealthAsync(http, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("red", storage.GetProperty("status").GetString());
        Assert.Contains("table 'userjobs'", storage.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentToken_OnLoopbackInDevelopment_IsIssuedAndOpensTheAzurePath()
    {
        using HttpClient anonymous = _stack.CreateHttpClient(user: null);
        using HttpResponseMessage issued = await anonymous.PostAsync(new Uri("api/dev/token?user=dev-alice", UriKind.Relative), null);
        string body = await issued.Content.ReadAsStringAsync();
        Assert.True(issued.StatusCode == HttpStatusCode.OK, body);
        string token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;

        await using HubClient client = await HubClient.NegotiateAndConnectAsync(_stack.BaseAddress, token);
        Assert.Equal("result", (await client.SubmitAsync("dev-1", "echo", new { })).Type);
    }

    /// <summary>Polls health until it answers <paramref name="expected"/>; returns the storage dependency.</summary>
    private static async Task<JsonElement> WaitForHealthAsync(HttpClient http, HttpStatusCode expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string last = "";
        while (!timeout.IsCancellationRequested)
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("api/health", UriKind.Relative), CancellationToken.None);
            last = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (response.StatusCode == expected)
            {
                using JsonDocument report = JsonDocument.Parse(last);
                return report.RootElement.GetProperty("dependencies").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "storage").Clone();
            }

            await Task.Delay(250, CancellationToken.None);
        }

        throw new TimeoutException($"health never answered {(int)expected}; last: {last}");
    }
}
