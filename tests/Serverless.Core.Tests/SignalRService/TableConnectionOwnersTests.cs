using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
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

    [Fact]
    public async Task AConfirmedOwner_IsRemembered_UntilACloseHereOrTheMemoryRunsOut()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string table = "c" + Guid.NewGuid().ToString("N")[..12];
        TableConnectionOwners instanceA = CreateSut(table, time);
        TableConnectionOwners instanceB = CreateSut(table, time);
        Assert.True(await instanceA.ClaimAsync("c1", "alice", default));
        Assert.True(await instanceA.ClaimAsync("c2", "alice", default));

        // Closed on another instance: this one still remembers the owner, for a bounded time, and never for another user.
        Assert.True(await instanceB.CloseAsync("c1", "alice", default));
        Assert.True(await instanceA.ClaimAsync("c1", "alice", default));
        Assert.False(await instanceA.ClaimAsync("c1", "mallory", default));

        time.Advance(TableConnectionOwners.ConfirmedFor);
        Assert.False(await instanceA.ClaimAsync("c1", "alice", default));

        // Closed here: forgotten at once.
        Assert.True(await instanceA.CloseAsync("c2", "alice", default));
        Assert.False(await instanceA.ClaimAsync("c2", "alice", default));
    }

    private TableConnectionOwners CreateSut() => CreateSut("c" + Guid.NewGuid().ToString("N")[..12], TimeProvider.System);

    private TableConnectionOwners CreateSut(string table, TimeProvider time)
    {
        IOptions<StorageOptions> options = Options.Create(new StorageOptions
        {
            ConnectionString = azurite.ConnectionString,
            ConnectionsTable = table,
        });
        var clients = new StorageClients(options);
        var storage = new StorageInitializer(
            clients, [new StorageRequirement([options.Value.ConnectionsTable], [])], TimeProvider.System, NullLogger<StorageInitializer>.Instance);
        return new(clients, options, storage, time);
    }
}
