using Serverless.LocalHost.Storage;

namespace Serverless.Client.Tests.Infrastructure;

/// <summary>One Azurite (free ports) and one local host on it, shared by the tests of this project.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public LocalHostInstance Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string package = AzuriteProcess.FindPackage(AppContext.BaseDirectory, Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException(
                "These tests need Azurite from node_modules: run 'npm ci' in the repository root (Node 20).");
        _azurite = await AzuriteProcess.StartAsync(package);
        Host = await LocalHostInstance.StartAsync(_azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "Local stack";
}
