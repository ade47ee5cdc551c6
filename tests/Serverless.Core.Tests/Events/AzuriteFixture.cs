using Serverless.LocalHost.Storage;

namespace Serverless.Core.Tests.Events;

/// <summary>
/// One in-memory Azurite (blobs, queues, tables) for the Core tests, stopped on dispose; every port is one Azurite
/// bound itself and reported (see <see cref="AzuriteProcess"/>), so no port is ever guessed or shared.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync()
    {
        string package = AzuriteProcess.FindPackage(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("These tests need Azurite: run 'npm ci' in the repository root (Node 20).");
        _azurite = await AzuriteProcess.StartAsync(package);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (events)";
}
