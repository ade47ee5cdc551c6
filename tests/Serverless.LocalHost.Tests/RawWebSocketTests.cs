using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>The local hub spoken to with a bare WebSocket, as docs/PROTOCOL.md tells a client without a SignalR library.</summary>
[Collection(StackCollection.Name)]
public sealed class RawWebSocketTests(LocalStackFixture stack)
{
    private readonly RawProtocolScenarios _scenarios = new(user => RawHubClient.NegotiateAndConnectAsync(stack.Host.BaseAddress, stack.Host.TokenFor(user)));

    [Fact]
    public Task Submit_SyncAction_ResultIsTheCompletion() => _scenarios.SyncResultAsync();

    [Fact]
    public Task Submit_AsyncAction_ProgressPushesThenCompleted() => _scenarios.AsyncProgressToCompletionAsync();

    [Fact]
    public Task Resume_AfterReconnecting_NoGapUpToTheTerminalMessage() => _scenarios.ResumeAfterReconnectAsync();

    [Fact]
    public Task MalformedFrames_TypedErrorsOrCleanClose_HostStaysUp() => _scenarios.MalformedFramesAsync();
}
