using Microsoft.Extensions.DependencyInjection;
using Serverless.LocalHost.Storage;

namespace Serverless.Testing;

/// <summary>
/// The local stack for a test collection: one Azurite (free ports) and one in-process local host on it; tests that
/// need a host of their own (other settings, services) start it here, with its own task hub and tables.
/// </summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public AzuriteProcess Azurite => _azurite.Azurite;

    public LocalHostInstance Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync().ConfigureAwait(false);
        Host = await StartHostAsync().ConfigureAwait(false);
    }

    /// <summary>Starts another local host on this Azurite, with its own task hub and tables unless overridden.</summary>
    public Task<LocalHostInstance> StartHostAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        LocalHostInstance.StartAsync(Azurite.ConnectionString, settings, services);

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync().ConfigureAwait(false);
        }

        await _azurite.DisposeAsync().ConfigureAwait(false);
    }
}
