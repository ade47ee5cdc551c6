using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Serverless.Core.Storage;

/// <summary>
/// The job storage account's Table, Blob and Queue service clients, created once per host from
/// <see cref="StorageOptions"/> so every feature shares their connection pools and retry policy: a service endpoint,
/// when set, with managed identity; otherwise the connection string. The endpoint wins so that a deployment that sets
/// it can never fall back to the development-storage default of the connection string.
/// </summary>
internal sealed class StorageClients(IOptions<StorageOptions> options)
{
    private readonly Lazy<TableServiceClient> _tables = new(() => CreateTableService(options.Value));
    private readonly Lazy<BlobServiceClient> _blobs = new(() => CreateBlobService(options.Value));
    private readonly Lazy<QueueServiceClient> _queues = new(() => CreateQueueService(options.Value));

    public TableServiceClient Tables => _tables.Value;

    public BlobServiceClient Blobs => _blobs.Value;

    // Created on first use: a host that never samples the task hub's queues needs no queue endpoint.
    public QueueServiceClient Queues => _queues.Value;

    public TableClient Table(string name) => Tables.GetTableClient(name);

    public static TableServiceClient CreateTableService(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new TableClientOptions();
        ConfigureRetry(clientOptions.Retry, options);
        if (options.TableServiceUri is { } endpoint)
        {
            return new TableServiceClient(endpoint, new DefaultAzureCredential(), clientOptions);
        }

        return !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new TableServiceClient(options.ConnectionString, clientOptions)
            : throw new InvalidOperationException("Storage:TableServiceUri or Storage:ConnectionString must be set.");
    }

    public static BlobServiceClient CreateBlobService(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new BlobClientOptions();
        ConfigureRetry(clientOptions.Retry, options);
        if (options.BlobServiceUri is { } endpoint)
        {
            return new BlobServiceClient(endpoint, new DefaultAzureCredential(), clientOptions);
        }

        return !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.ConnectionString, clientOptions)
            : throw new InvalidOperationException("Storage:BlobServiceUri or Storage:ConnectionString must be set.");
    }

    public static QueueServiceClient CreateQueueService(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new QueueClientOptions();
        ConfigureRetry(clientOptions.Retry, options);
        if (options.QueueServiceUri is { } endpoint)
        {
            return new QueueServiceClient(endpoint, new DefaultAzureCredential(), clientOptions);
        }

        return !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new QueueServiceClient(options.ConnectionString, clientOptions)
            : throw new InvalidOperationException("Storage:QueueServiceUri or Storage:ConnectionString must be set.");
    }

    private static void ConfigureRetry(RetryOptions retry, StorageOptions options)
    {
        // Azure.Core retries with exponential backoff and jitter; the network timeout bounds each try.
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = options.MaxRetries;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.NetworkTimeout = options.NetworkTimeout;
    }
}
