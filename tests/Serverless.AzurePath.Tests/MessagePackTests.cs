using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// MessagePack clients on the Azure path (the official .NET package): the SignalR Service emulator forwards their
/// invocations to the upstream as MessagePack, relays its MessagePack completions, and converts the app's JSON REST
/// pushes to MessagePack for them.
/// </summary>
[Collection(AzurePathCollection.Name)]
public sealed class MessagePackTests(AzurePathFixture fixture)
{
    private readonly MessagePackScenarios _scenarios = new(
        user => HubClient.NegotiateAndConnectAsync(fixture.Stack.BaseAddress, fixture.Stack.TokenFor(user), "api/negotiate", messagePack: true),
        user => HubNegotiation.RequestAsync(fixture.Stack.BaseAddress, fixture.Stack.TokenFor(user)));

    [Fact]
    public Task MessagePackClient_SyncAsyncAndResume_SameMessagesAsJson() => _scenarios.SyncAsyncAndResumeAsync();

    [Fact]
    public Task PlainMessagePackClient_CamelCaseMaps_TypedErrors() => _scenarios.PlainMessagePackClientAsync();
}
