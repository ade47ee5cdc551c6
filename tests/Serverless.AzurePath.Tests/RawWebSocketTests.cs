using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// The Azure path spoken to with a bare WebSocket, as docs/PROTOCOL.md tells a client without a SignalR library:
/// negotiate on the app, then the SignalR Service emulator, the upstream and REST pushes.
/// </summary>
[Collection(AzurePathCollection.Name)]
public sealed class RawWebSocketTests(AzurePathFixture fixture)
{
    private readonly RawProtocolScenarios _scenarios = new(user => RawHubClient.NegotiateAndConnectAsync(fixture.Stack.BaseAddress, fixture.Stack.TokenFor(user)));

    [Fact]
    public Task Submit_SyncAction_ResultIsTheCompletion() => _scenarios.SyncResultAsync();

    [Fact]
    public Task Submit_AsyncAction_ProgressPushesThenCompleted() => _scenarios.AsyncProgressToCompletionAsync();

    [Fact]
    public Task Resume_AfterReconnecting_NoGapUpToTheTerminalMessage() => _scenarios.ResumeAfterReconnectAsync();

    [Fact]
    public Task MalformedFrames_TypedErrorsOrCleanClose_HostStaysUp() => _scenarios.MalformedFramesAsync();
}
