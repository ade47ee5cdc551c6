using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

/// <summary>
/// Issue 13, finding 1: <c>POST /api/dev/token?user=acme%2Falice</c> used to give tenant acme's alice. Whether the
/// token comes from the development endpoint or is any signed JWT, it must now see her jobs as unknown ones.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OwnerCollisionTests(LocalStackFixture stack)
{
    private const string Unknown = "j0000000000000000000000000000000";

    [Fact]
    public async Task DevTokenWithSlashInUser_CannotReachTheTenantUsersJobs()
    {
        using HttpClient anonymous = stack.Host.CreateHttpClient(user: null);
        string victimToken = await DevTokenAsync(anonymous, "user=alice&tenant=acme");
        string attackerToken = await DevTokenAsync(anonymous, "user=acme%2Falice");

        await AssertIsolatedAsync(victimToken, attackerToken, "collision-dev");
    }

    [Fact]
    public async Task JwtWithSlashInSub_CannotReachTheTenantUsersJobs()
    {
        await AssertIsolatedAsync(stack.Host.TokenFor("bob", "globex"), stack.Host.TokenFor("globex/bob"), "collision-jwt");
    }

    private async Task AssertIsolatedAsync(string victimToken, string attackerToken, string requestId)
    {
        await using HubClient victim = await stack.Host.ConnectAsync("victim", victimToken);
        await using HubClient attacker = await stack.Host.ConnectAsync("attacker", attackerToken);
        using HttpClient http = stack.Host.CreateHttpClient(user: null);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", attackerToken);
        JobMessage accepted = await victim.SubmitAsync(requestId, "simulate", new { durationMs = 1500, updates = 5 });
        Assert.Equal(MessageTypes.Accepted, accepted.Type);

        HttpResponseMessage get = await http.GetAsync($"/api/jobs/{accepted.JobId}");
        HttpResponseMessage getUnknown = await http.GetAsync($"/api/jobs/{Unknown}");
        JobView[] listed = (await http.GetFromJsonAsync("/api/jobs", ProtocolJson.Default.JobViewArray))!;
        JobMessage[] resumed = await attacker.ResumeAsync(accepted.JobId!, 0);
        JobMessage cancelled = await attacker.CancelAsync(accepted.JobId!);
        JobMessage sameRequestId = await attacker.SubmitAsync(requestId, "simulate", new { durationMs = 100, updates = 1 });
        await victim.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(await getUnknown.Content.ReadAsStringAsync(), await get.Content.ReadAsStringAsync());
        Assert.DoesNotContain(listed, job => job.JobId == accepted.JobId);
        Assert.Equal(ErrorCodes.NotFound, Assert.Single(resumed).Error!.Code);
        Assert.Equal(ErrorCodes.NotFound, cancelled.Error!.Code);
        Assert.NotEqual(accepted.JobId, sameRequestId.JobId);
        Assert.DoesNotContain(attacker.Received, m => m.JobId == accepted.JobId);
        Assert.Contains(victim.Received, m => m.JobId == accepted.JobId && m.Type == MessageTypes.Completed);
    }

    private static async Task<string> DevTokenAsync(HttpClient http, string query)
    {
        HttpResponseMessage reply = await http.PostAsync("/api/dev/token?" + query, null);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        return (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
