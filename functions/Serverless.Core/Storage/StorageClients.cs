using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Serverless.Core.Storage;

/// <summary>Creates Table and Blob clients from <see cref="StorageOptions"/>: a connection string, or endpoints with managed identity.</summary>
public static class StorageClients
{
    public static TableServiceClient CreateTableService(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new TableClientOptions();
        ConfigureRetry(clientOptions.Retry, options);
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new TableServiceClient(
                options.TableServiceUri ?? throw new InvalidOperationException("Storage:ConnectionString or Storage:TableServiceUri must be set."),
                new DefaultAzureCredential(),
                clientOptions)
            : new TableServiceClient(options.ConnectionString, clientOptions);
    }

    public static BlobServiceClient CreateBlobService(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new BlobClientOptions();
        ConfigureRetry(clientOptions.Retry, options);
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(
                options.BlobServiceUri ?? throw new InvalidOperationException("Storage:ConnectionString or Storage:BlobServiceUri must be set."),
                new DefaultAzureCredential(),
                clientOptions)
            : new BlobServiceClient(options.ConnectionString, clientOptions);
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
