using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.Health;

/// <summary>Job storage answers a point query (no retries, so an outage shows at once).</summary>
internal sealed class StorageCheck : IDependencyCheck
{
    private readonly TableClient _jobs;

    public StorageCheck(IOptions<StorageOptions> options)
    {
        StorageOptions probe = new()
        {
            ConnectionString = options.Value.ConnectionString,
            TableServiceUri = options.Value.TableServiceUri,
            MaxRetries = 0,
            NetworkTimeout = TimeSpan.FromSeconds(2),
        };
        _jobs = StorageClients.CreateTableService(probe).GetTableClient(options.Value.JobsTable);
    }

    public string Name => "storage";

    public async Task<DependencyHealth> CheckAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await _jobs.GetEntityIfExistsAsync<TableEntity>("health", "probe", select: ["PartitionKey"], cancellationToken).ConfigureAwait(false);
        double latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new DependencyHealth(Name, latency > 1000 ? HealthStatus.Yellow : HealthStatus.Green, $"table '{_jobs.Name}' answered", latency);
    }
}
