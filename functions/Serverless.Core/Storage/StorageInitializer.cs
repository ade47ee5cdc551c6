using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Core.Storage;

/// <summary>
/// Creates every registered <see cref="StorageRequirement"/> (idempotently) so that a fresh storage account works
/// without a manual step, in both hosts. Start-up does not wait for it (a storage outage must not keep a host down);
/// writers that need the tables await <see cref="EnsureCreatedAsync"/>, which is free once it has succeeded.
/// </summary>
internal sealed class StorageInitializer : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly TableServiceClient _tables;
    private readonly BlobServiceClient _blobs;
    private readonly string[] _tableNames;
    private readonly string[] _containerNames;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageInitializer> _logger;
    private readonly Lock _gate = new();
    private Task? _creation;

    public StorageInitializer(
        StorageClients clients, IEnumerable<StorageRequirement> requirements, TimeProvider time, ILogger<StorageInitializer> logger)
    {
        _tables = clients.Tables;
        _blobs = clients.Blobs;
        _tableNames = [.. requirements.SelectMany(r => r.Tables).Distinct(StringComparer.OrdinalIgnoreCase)];
        _containerNames = [.. requirements.SelectMany(r => r.Containers).Distinct(StringComparer.Ordinal)];
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes once every table and container exists; a failed attempt is retried by the next caller.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
            {
                // Not tied to one caller's token: a caller that gives up must not fail the creation for the others.
                _creation = CreateAllAsync();
            }

            return _creation.IsCompletedSuccessfully ? Task.CompletedTask : _creation.WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await EnsureCreatedAsync(stoppingToken).ConfigureAwait(false);
                Log.Created(_logger, string.Join(", ", _tableNames), string.Join(", ", _containerNames));
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.CreationFailed(_logger, delay.TotalSeconds, ex);
            }

            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task CreateAllAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1), _time);
        foreach (string table in _tableNames)
        {
            await _tables.CreateTableIfNotExistsAsync(table, timeout.Token).ConfigureAwait(false);
        }

        foreach (string container in _containerNames)
        {
            try
            {
                await _blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Created by another instance at the same moment.
            }
        }
    }
}
