using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.SignalRService;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Events;
using Serverless.Testing;

namespace Serverless.Core.Tests.SignalRService;

[Collection(AzuriteCollection.Name)]
public sealed class TableConnectionOwnersTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Claim_CreatesTheTableOnFirstUse_AndTheFirstOwnerWins()
    {
        TableConnectionOwners owners = CreateSut();

        Assert.True(await owners.ClaimAsync("c1", "alice", default));
        Assert.True(await owners.ClaimAsync("c1", "alice", default));
        Assert.False(await owners.ClaimAsync("c1", "mallory", default));
        Assert.True(await owners.ClaimAsync("c2", "mallory", default));
    }

    [Fact]
    public async Task Close_KeepsTheConnectionClosed_AndRefusesAnotherOwner()
    {
        TableConnectionOwners owners = CreateSut();
        await owners.ClaimAsync("c1", "alice", default);

        Assert.False(await owners.CloseAsync("c1", "mallory", default));
        Assert.True(await owners.ClaimAsync("c1", "alice", default));
        Assert.True(await owners.CloseAsync("c1", "alice", default));
        Assert.False(await owners.ClaimAsync("c1", "alice", default));
        Assert.True(await owners.CloseAsync("never-connected", "bob", default));
        Assert.False(await owners.ClaimAsync("never-connected", "bob", default));
    }

    private TableConnectionOwners CreateSut()
    {
        IOptions<StorageOptions> options = Options.Create(new StorageOptions
        {
            ConnectionString = azurite.ConnectionString,
            ConnectionsTable = "c" + Guid.NewGuid().ToString("N")[..12],
        });
        var clients = new StorageClients(options);
        var storage = new StorageInitializer(
            clients, [new StorageRequirement([options.Value.ConnectionsTable], [])], TimeProvider.System, NullLogger<StorageInitializer>.Instance);
        return new(clients, options, storage);
    }
}
