using System.Net;
using System.Net.Http.Json;
using System.Text;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>The HTTP API over real HTTP against the local host.</summary>
[Collection(StackCollection.Name)]
public sealed class HttpApiTests(LocalStackFixture stack)
{
    [Fact]
    public async Task PostJob_Sync_Returns200WithResult()
    {
        using HttpClient http = stack.Host.CreateHttpClient("http-user");

        HttpResponseMessage response = await http.PostAsJsonAsync("/api/jobs", new { requestId = "h1", action = "echo", payload = new { x = 1 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JobMessage reply = (await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!;
        Assert.Equal(1, reply.Data!.Value.GetProperty("x").GetInt32());
    }

    [Fact]
    public async Task PostJob_Async_Returns202WithLocation_ThenStateAndEventsAreReadable()
    {
        using HttpClient http = stack.Host.CreateHttpClient("http-async-user");

        HttpResponseMessage response = await http.PostAsJsonAsync("/api/jobs", new { requestId = "h2", action = "simulate", payload = new { durationMs = 300, updates = 10 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JobMessage accepted = (await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!;
        Assert.Equal($"/api/jobs/{accepted.JobId}", response.Headers.Location!.OriginalString);

        JobView view = await WaitForStatusAsync(http, response.Headers.Location.OriginalString, JobStatus.Completed);
        Assert.Equal(100, view.Percent);

        JobMessage[] all = (await http.GetFromJsonAsync("/api/jobs/" + accepted.JobId + "/events", ProtocolJson.Default.JobMessageArray))!;
        JobMessage[] tail = (await http.GetFromJsonAsync("/api/jobs/" + accepted.JobId + "/events?afterSeq=2", ProtocolJson.Default.JobMessageArray))!;
        Assert.Equal(view.LastSeq, all.Length);
        Assert.Equal(all.Skip(2).Select(m => m.Seq), tail.Select(m => m.Seq));
    }

    [Fact]
    public async Task PostJob_WithoutToken_Returns401WithTypedError()
    {
        using HttpClient http = stack.Host.CreateHttpClient(user: null);

        HttpResponseMessage response = await http.PostAsJsonAsync("/api/jobs", new { requestId = "h3", action = "echo" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        JobMessage reply = (await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!;
        Assert.Equal(ErrorCodes.Unauthorized, reply.Error!.Code);
    }

    [Fact]
    public async Task PostJob_MalformedJson_Returns400ValidationError()
    {
        using HttpClient http = stack.Host.CreateHttpClient("http-bad-user");

        HttpResponseMessage response = await http.PostAsync("/api/jobs", new StringContent("{\"requestId\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JobMessage reply = (await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!;
        Assert.Equal(ErrorCodes.ValidationError, reply.Error!.Code);
    }

    [Fact]
    public async Task GetJob_OfAnotherUser_Returns404LikeAnUnknownJob()
    {
        using HttpClient owner = stack.Host.CreateHttpClient("owner-a");
        using HttpClient other = stack.Host.CreateHttpClient("owner-b");
        HttpResponseMessage created = await owner.PostAsJsonAsync("/api/jobs", new { requestId = "mine", action = "simulate", payload = new { durationMs = 100, updates = 1 } });
        string location = created.Headers.Location!.OriginalString;

        HttpResponseMessage foreign = await other.GetAsync(location);
        HttpResponseMessage unknown = await other.GetAsync("/api/jobs/j0000000000000000000000000000000");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await foreign.Content.ReadAsStringAsync());
    }

    private static async Task<JobView> WaitForStatusAsync(HttpClient http, string location, string status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            JobView view = (await http.GetFromJsonAsync(location, ProtocolJson.Default.JobView, timeout.Token))!;
            if (view.Status == status)
            {
                return view;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
