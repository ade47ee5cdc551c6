using Serverless.LocalHost.Storage;

namespace Serverless.LocalHost.Tests.Infrastructure;

/// <summary>One Azurite for the whole run (free ports) and one local host on it, shared by the integration tests.</summary>
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
        Host = await StartHostAsync();
    }

    /// <summary>Starts another local host on this Azurite, with its own task hub and tables unless overridden.</summary>
    public Task<LocalHostInstance> StartHostAsync(IDictionary<string, string?>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) =>
        LocalHostInstance.StartAsync(Azurite.ConnectionString, settings, services);

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
