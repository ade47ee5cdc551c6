using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Operators;
using Serverless.Core.Security;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>The operators' feed (<c>/hubs/operators</c>), <c>/api/stats</c> and operator development tokens.</summary>
[Collection(StackCollection.Name)]
public sealed class OperatorFeedTests(LocalStackFixture stack)
{
    [Fact]
    public async Task OperatorHub_OperatorRole_GetsEveryUsersJobMessagesWithOwner()
    {
        string operatorToken = stack.Host.Services.GetRequiredService<TokenService>().Issue("ops", null, [OperatorAccess.OperatorRole]);
        var feed = new ConcurrentQueue<OperatorJobMessage>();
        await using HubConnection operators = Connect(operatorToken);
        operators.On<OperatorJobMessage>(OperatorFeed.Target, feed.Enqueue);
        await operators.StartAsync();
        await using HubClient user = await stack.Host.ConnectAsync("feed-user");

        JobMessage accepted = await user.SubmitAsync("feed-1", "simulate", new { durationMs = 300, updates = 5 });
        IReadOnlyList<JobMessage> pushed = await user.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(30));

        // The feed copy is sent right after the owner's push; give it a moment to arrive.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (feed.Count(m => m.Message.JobId == accepted.JobId) < pushed.Count && !timeout.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        OperatorJobMessage[] copies = [.. feed.Where(m => m.Message.JobId == accepted.JobId)];
        Assert.Equal(pushed.Select(m => m.Seq), copies.Select(m => m.Message.Seq));
        Assert.All(copies, m => Assert.Equal("feed-user", m.Owner));
    }

    [Fact]
    public async Task OperatorHub_WithoutOperatorRole_IsRefused()
    {
        await using HubConnection connection = Connect(stack.Host.TokenFor("not-ops"));

        HttpRequestException refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task DevToken_OperatorRole_IssuesTokenTheFeedAccepts()
    {
        using HttpClient http = stack.Host.CreateHttpClient(user: null);

        HttpResponseMessage bad = await http.PostAsync("/api/dev/token?user=ops&role=admin", null);
        HttpResponseMessage good = await http.PostAsync("/api/dev/token?user=ops&role=operator", null);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        string token = (await good.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await using HubConnection connection = Connect(token);
        await connection.StartAsync();
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task Stats_AfterAJob_CountsItWithLatencyPercentiles()
    {
        using HttpClient http = stack.Host.CreateHttpClient("stats-user");
        JobStatisticsSnapshot before = (await http.GetFromJsonAsync("/api/stats", ProtocolJson.Default.JobStatisticsSnapshot))!;
        HttpResponseMessage reply = await http.PostAsJsonAsync("/api/jobs", new { requestId = "stats-1", action = "echo", payload = new { } });
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);

        JobStatisticsSnapshot stats = (await http.GetFromJsonAsync("/api/stats", ProtocolJson.Default.JobStatisticsSnapshot))!;

        // A change since just before, not a total that other tests' jobs could make up.
        Assert.True(stats.Finished >= before.Finished + 1, $"finished {before.Finished} -> {stats.Finished}");
        Assert.True(stats.ThroughputPerSecond > 0);
        Assert.NotNull(stats.LatencyP50Ms);
        Assert.True(stats.LatencyP95Ms >= stats.LatencyP50Ms);
        Assert.Equal(60, stats.WindowSeconds);
    }

    private HubConnection Connect(string token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(stack.Host.BaseAddress, "/hubs/operators"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(options =>
            {
                options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ProtocolJson.Default);
                options.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            })
            .Build();
}
