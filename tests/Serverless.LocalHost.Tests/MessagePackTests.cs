using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>The local hub spoken to in the SignalR MessagePack hub protocol, with the official .NET package.</summary>
[Collection(StackCollection.Name)]
public sealed class MessagePackTests(LocalStackFixture stack)
{
    private readonly MessagePackScenarios _scenarios = new(
        user => HubClient.NegotiateAndConnectAsync(stack.Host.BaseAddress, stack.Host.TokenFor(user), "api/negotiate", messagePack: true),
        user => HubNegotiation.RequestAsync(stack.Host.BaseAddress, stack.Host.TokenFor(user)));

    [Fact]
    public Task MessagePackClient_SyncAsyncAndResume_SameMessagesAsJson() => _scenarios.SyncAsyncAndResumeAsync();

    [Fact]
    public Task PlainMessagePackClient_CamelCaseMaps_TypedErrors() => _scenarios.PlainMessagePackClientAsync();
}
