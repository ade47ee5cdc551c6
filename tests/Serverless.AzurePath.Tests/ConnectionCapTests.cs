using Azure.Data.Tables;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Core.Storage;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// The per-user connection cap through the SignalR Service emulator: the service's <c>connected</c> event cannot refuse a
/// connection, so the app closes the one past the cap through the REST API, and counts open connections in storage.
/// </summary>
[Collection(AzurePathCollection.Name)]
public sealed class ConnectionCapTests(AzurePathFixture fixture)
{
    private const string User = "capped-user";

    private AzurePathStack Stack => fixture.Stack;

    [Fact]
    public async Task ConnectionPastTheCap_ClosedWithTheReason_AConnectionThatVanishedDoesNotCount_ASlotFreesOnDisconnect()
    {
        int max = new LimitsOptions().MaxConnectionsPerUser;
        var connections = new TableClient(Stack.Azurite.ConnectionString, new StorageOptions().ConnectionsTable);
        await connections.CreateIfNotExistsAsync();

        // Counted as open, but the service no longer has it: its disconnected event was lost.
        await connections.AddEntityAsync(new TableEntity(JobKeys.OwnerKey(new CallerIdentity(User).OwnerId), JobKeys.ConnectionKey("vanished")) { ["ConnectionId"] = "vanished" });
        var open = new List<HubClient>();
        try
        {
            for (int i = 0; i < max; i++)
            {
                open.Add(await ConnectAndEchoAsync($"within-{i}"));
            }

            await using HubClient pastTheCap = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor(User));
            Exception? closedWith = await pastTheCap.Closed.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Contains($"At most {max} connections per user", closedWith?.Message, StringComparison.Ordinal);
            Assert.All(open, client => Assert.Equal(HubConnectionState.Connected, client.Connection.State));
            Assert.False((await connections.GetEntityIfExistsAsync<TableEntity>(JobKeys.OwnerKey(new CallerIdentity(User).OwnerId), JobKeys.ConnectionKey("vanished"))).HasValue);

            // The slot frees once the service reports the disconnect.
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            HubClient replacement = await WaitForAdmissionAsync();
            open.Add(replacement);
            Assert.Equal(HubConnectionState.Connected, replacement.Connection.State);
        }
        finally
        {
            foreach (HubClient client in open)
            {
                await client.DisposeAsync();
            }
        }
    }

    // A submit answered means the app handled the connection's connected event: the service dispatches none before.
    private async Task<HubClient> ConnectAndEchoAsync(string requestId)
    {
        HubClient client = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor(User));
        Assert.True((await client.SubmitAsync(requestId, "echo", new { })).Ok);
        return client;
    }

    private async Task<HubClient> WaitForAdmissionAsync()
    {
        for (int attempt = 0; ; attempt++)
        {
            HubClient client = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor(User));
            try
            {
                Assert.True((await client.SubmitAsync($"replacement-{attempt}", "echo", new { })).Ok);
                return client;
            }
            catch (Exception) when (attempt < 20)
            {
                // Still over the cap: the app closed it.
                await client.Closed.WaitAsync(TimeSpan.FromSeconds(10));
                await client.DisposeAsync();
                await Task.Delay(500);
            }
        }
    }
}
