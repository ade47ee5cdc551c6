using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.LocalHost.Storage;

/// <summary>Starts Azurite when the configured local storage endpoints do not answer, and stops it with the host.</summary>
internal sealed class AzuriteLauncher(
    IOptions<AzuriteOptions> options,
    IOptions<StorageOptions> storage,
    IHostEnvironment environment,
    ILogger<AzuriteLauncher> logger) : IHostedService, IAsyncDisposable
{
    private AzuriteProcess? _azurite;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.AutoStart || string.IsNullOrWhiteSpace(storage.Value.ConnectionString))
        {
            return;
        }

        StorageEndpoints endpoints = StorageEndpoints.Parse(storage.Value.ConnectionString);
        if (!endpoints.IsLoopback || await AzuriteProcess.IsListeningAsync(endpoints.Table, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        string package = options.Value.PackagePath
            ?? AzuriteProcess.FindPackage(Directory.GetCurrentDirectory(), environment.ContentRootPath, AppContext.BaseDirectory)
            ?? throw new InvalidOperationException(
                $"Nothing answers at {endpoints.Table} and Azurite is not installed: run 'npm ci' in the repository root, start Azurite yourself, or set Azurite:PackagePath.");

        _azurite = await AzuriteProcess.StartAsync(
            package, endpoints.Blob.Port, endpoints.Queue.Port, endpoints.Table.Port, options.Value.Location, cancellationToken).ConfigureAwait(false);
        Log.Started(logger, endpoints.Table.Port, options.Value.Location ?? "memory");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Stopped on dispose, after the Durable worker and the sidecar have stopped using it.
    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync().ConfigureAwait(false);
        }
    }
}
