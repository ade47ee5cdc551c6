using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.LocalHost.Storage;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>The job API's edges over real HTTP against the local host: results not there yet, list filters and bounds, Retry-After.</summary>
[Collection(StackCollection.Name)]
public sealed class JobApiEdgeCaseTests(LocalStackFixture stack)
{
    private static readonly object LongJob = new { durationMs = 30_000, updates = 30 };

    [Fact]
    public async Task GetResult_OfARunningJob_Returns400ValidationError_NamingItsStatus()
    {
        using HttpClient http = stack.Host.CreateHttpClient("result-early-user");
        string location = await SubmitAsync(http, "running", LongJob);
        await WaitForStatusAsync(http, location, JobStatus.Running);

        HttpResponseMessage result = await http.GetAsync(location + "/result");

        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
        JobError error = (await result.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!;
        Assert.Equal(ErrorCodes.ValidationError, error.Code);
        Assert.Contains("it is running", error.Message, StringComparison.Ordinal);
        await http.PostAsync(location + "/cancel", null);
    }

    [Fact]
    public async Task ListJobs_StatusAndLimit_ReturnOnlyThatStatus_NewestFirst_UpToTheLimit()
    {
        using HttpClient http = stack.Host.CreateHttpClient("list-filter-user");
        string first = await SubmitAsync(http, "done-1", new { durationMs = 100, updates = 1 });
        await WaitForStatusAsync(http, first, JobStatus.Completed);
        string second = await SubmitAsync(http, "done-2", new { durationMs = 100, updates = 1 });
        await WaitForStatusAsync(http, second, JobStatus.Completed);
        string running = await SubmitAsync(http, "still-running", LongJob);
        await WaitForStatusAsync(http, running, JobStatus.Running);

        JobView[] completed = await ListAsync(http, "?status=completed");
        JobView[] active = await ListAsync(http, "?status=running");
        JobView[] newestTwo = await ListAsync(http, "?limit=2");
        JobView[] none = await ListAsync(http, "?status=failed");

        Assert.Equal(["done-2", "done-1"], completed.Select(j => j.RequestId));
        Assert.Equal(["still-running"], active.Select(j => j.RequestId));
        Assert.Equal(["still-running", "done-2"], newestTwo.Select(j => j.RequestId));
        Assert.Empty(none);
        await http.PostAsync(running + "/cancel", null);
    }

    [Theory]
    [InlineData("?status=done")]
    [InlineData("?limit=0")]
    [InlineData("?limit=101")]
    [InlineData("?limit=-1")]
    [InlineData("?limit=ten")]
    [InlineData("?limit=1.5")]
    public async Task ListJobs_InvalidStatusOrLimit_Returns400ValidationError(string query)
    {
        using HttpClient http = stack.Host.CreateHttpClient("list-bounds-user");

        HttpResponseMessage response = await http.GetAsync("/api/jobs" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!.Code);
    }

    [Theory]
    [InlineData("?limit=1")]
    [InlineData("?limit=100")]
    [InlineData("?status=queued&limit=5")]
    public async Task ListJobs_LimitAtItsBounds_Returns200(string query)
    {
        using HttpClient http = stack.Host.CreateHttpClient("list-bounds-user");

        HttpResponseMessage response = await http.GetAsync("/api/jobs" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Submit_OverTheRate_Returns429WithRetryAfterHeader_MatchingTheError()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?>
        {
            ["Limits:RequestsPerSecond"] = "0.01",
            ["Limits:Burst"] = "1",
        });
        using HttpClient http = host.CreateHttpClient("http-greedy-user");

        HttpResponseMessage first = await http.PostAsJsonAsync("/api/jobs", new { requestId = "g1", action = "echo" });
        HttpResponseMessage limited = await http.PostAsJsonAsync("/api/jobs", new { requestId = "g2", action = "echo" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        JobError error = (await limited.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!;
        Assert.Equal(ErrorCodes.RateLimited, error.Code);

        // One token per 100 s: the wait is most of that, and the header says it in whole seconds.
        Assert.InRange(error.RetryAfterMs!.Value, 90_000, 100_000);
        Assert.Equal(TimeSpan.FromSeconds(Math.Ceiling(error.RetryAfterMs.Value / 1000.0)), limited.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task StorageDown_SubmitAndList_Return503WithRetryAfterHeader()
    {
        // Dropped connections fail each try at once; the default network timeout leaves the check before the cut
        // room on a loaded machine.
        await using var outage = new StorageOutage(stack.Azurite.ConnectionString);
        {
            // Its own scope: the host stops before the proxies in front of its storage.
            var logs = new LogCapture();
            await using LocalHostInstance host = await LocalHostInstance.StartAsync(
                outage.ConnectionString, new Dictionary<string, string?> { ["Storage:MaxRetries"] = "1" }, services => services.AddSingleton<ILoggerProvider>(logs));
            using HttpClient http = host.CreateHttpClient("http-outage-user");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/jobs")).StatusCode);

            outage.Cut();

            HttpResponseMessage submit = await http.PostAsJsonAsync("/api/jobs", new { requestId = "down", action = "simulate", payload = new { durationMs = 100 } });
            HttpResponseMessage list = await http.GetAsync("/api/jobs");

            foreach (HttpResponseMessage response in new[] { submit, list })
            {
                // An unexpected answer shows what the host logged, an unhandled exception included.
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage?.Method} answered {(int)response.StatusCode}:\n{string.Join('\n', logs.Lines)}");
                JobError error = (await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!;
                Assert.Equal(ErrorCodes.ServiceUnavailable, error.Code);
                Assert.True(error.Retryable);
                Assert.NotNull(error.RetryAfterMs);
                Assert.Equal(TimeSpan.FromSeconds(Math.Ceiling(error.RetryAfterMs.Value / 1000.0)), response.Headers.RetryAfter?.Delta);
            }
        }
    }

    private static async Task<string> SubmitAsync(HttpClient http, string requestId, object payload)
    {
        HttpResponseMessage response = await http.PostAsJsonAsync("/api/jobs", new { requestId, action = "simulate", payload });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    private static async Task<JobView[]> ListAsync(HttpClient http, string query)
    {
        HttpResponseMessage response = await http.GetAsync("/api/jobs" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobViewArray))!;
    }

    private static async Task WaitForStatusAsync(HttpClient http, string location, string status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await http.GetFromJsonAsync(location, ProtocolJson.Default.JobView, timeout.Token))!.Status != status)
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
