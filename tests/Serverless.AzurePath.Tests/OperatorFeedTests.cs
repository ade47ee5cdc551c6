using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Core.Operators;
using Serverless.Core.Security;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// The operators' feed on the Azure path: an operator negotiates at <c>/api/operators/negotiate</c>, connects to the
/// SignalR Service emulator, the upstream puts the connection in the feed's group, and every job message of every user
/// reaches it through the REST API with its owner.
/// </summary>
[Collection(AzurePathCollection.Name)]
public sealed class OperatorFeedTests(AzurePathFixture fixture)
{
    private const string NegotiateRoute = "api/" + OperatorFeed.NegotiateRoute;
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    private AzurePathStack Stack => fixture.Stack;

    [Fact]
    public async Task OperatorFeed_OperatorThroughNegotiate_GetsAnotherUsersJobMessagesWithTheirOwner_OthersGetNone()
    {
        string operatorToken = Stack.TokenFor("feed-ops", roles: [OperatorAccess.OperatorRole]);
        await using HubClient feedConnection = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, operatorToken, NegotiateRoute);
        ConcurrentQueue<OperatorJobMessage> feed = Record(feedConnection);
        // Neither another user's connection nor the operator's own client connection (plain negotiate) is a feed connection.
        await using HubClient bystander = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor("feed-bystander"));
        ConcurrentQueue<OperatorJobMessage> bystanderFeed = Record(bystander);
        await using HubClient operatorAsClient = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, operatorToken);
        ConcurrentQueue<OperatorJobMessage> operatorClientFeed = Record(operatorAsClient);
        await using HubClient owner = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor("feed-owner"));

        // The feed connection joins its group when the service reports it connected: a first job shows it has.
        JobMessage warmUp = await owner.SubmitAsync("feed-warm-up", "simulate", new { stages = 1, durationMs = 200, updates = 2 });
        await WaitForAsync(feed, warmUp.JobId!, MessageTypes.IsTerminal);
        JobMessage accepted = await owner.SubmitAsync("feed-1", "simulate", new { stages = 2, durationMs = 1500, updates = 20 });
        IReadOnlyList<JobMessage> pushed = await owner.WaitForTerminalAsync(accepted.JobId!, JobTimeout);
        OperatorJobMessage[] copies = await WaitForAsync(feed, accepted.JobId!, MessageTypes.IsTerminal);

        Assert.Equal(MessageTypes.Accepted, accepted.Type);
        Assert.Equal(pushed.Select(m => (m.Type, m.Seq)), copies.Select(c => (c.Message.Type, c.Message.Seq)));
        Assert.All(copies, c => Assert.Equal("feed-owner", c.Owner));
        Assert.Contains(copies, c => c.Message.Type == MessageTypes.Progress && c.Message.Percent > 0);
        Assert.Empty(bystanderFeed);
        Assert.Empty(operatorClientFeed);
        Assert.Empty(bystander.Received);
    }

    [Fact]
    public async Task OperatorsNegotiate_WithoutOperatorRoleOrToken_IsRefused()
    {
        using HttpClient user = Stack.CreateHttpClient("feed-not-ops");
        using HttpClient anonymous = Stack.CreateHttpClient(user: null);

        using HttpResponseMessage forbidden = await user.PostAsync(new Uri(NegotiateRoute, UriKind.Relative), null);
        using HttpResponseMessage unauthorized = await anonymous.PostAsync(new Uri(NegotiateRoute, UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains(ErrorCodes.Unauthorized, await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    private static ConcurrentQueue<OperatorJobMessage> Record(HubClient client)
    {
        var received = new ConcurrentQueue<OperatorJobMessage>();
        client.Connection.On<OperatorJobMessage>(OperatorFeed.Target, received.Enqueue);
        return received;
    }

    private static async Task<OperatorJobMessage[]> WaitForAsync(ConcurrentQueue<OperatorJobMessage> feed, string jobId, Func<string, bool> type)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        while (!feed.Any(m => m.Message.JobId == jobId && type(m.Message.Type)))
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"The operators' feed got no matching message of job {jobId} within {JobTimeout}; it got {feed.Count} message(s).");
            }

            await Task.Delay(50);
        }

        return [.. feed.Where(m => m.Message.JobId == jobId)];
    }
}
