using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Health;

/// <summary>
/// Every table and container the app needs exists (one table query and one existence check per container, no
/// retries, so an outage shows at once): a missing one is red, because writes to it fail.
/// </summary>
internal sealed class StorageCheck : IDependencyCheck
{
    private readonly TableServiceClient _tables;
    private readonly BlobServiceClient _blobs;
    private readonly string[] _tableNames;
    private readonly string[] _containerNames;
    private readonly string _tableFilter;

    public StorageCheck(IOptions<StorageOptions> options, IEnumerable<StorageRequirement> requirements)
    {
        StorageOptions probe = new()
        {
            ConnectionString = options.Value.ConnectionString,
            TableServiceUri = options.Value.TableServiceUri,
            BlobServiceUri = options.Value.BlobServiceUri,
            MaxRetries = 0,
            NetworkTimeout = TimeSpan.FromSeconds(2),
        };
        _tables = StorageClients.CreateTableService(probe);
        _blobs = StorageClients.CreateBlobService(probe);
        _tableNames = [.. requirements.SelectMany(r => r.Tables).Distinct(StringComparer.OrdinalIgnoreCase)];
        _containerNames = [.. requirements.SelectMany(r => r.Containers).Distinct(StringComparer.Ordinal)];
        _tableFilter = string.Join(" or ", _tableNames.Select(name => TableClient.CreateQueryFilter($"TableName eq {name}")));
    }

    public string Name => "storage";

    public async Task<DependencyHealth> CheckAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (TableItem table in _tables.QueryAsync(_tableFilter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.Add(table.Name);
        }

        List<string> missing = [.. _tableNames.Where(name => !found.Contains(name)).Select(name => $"table '{name}'")];
        foreach (string container in _containerNames)
        {
            if (!await _blobs.GetBlobContainerClient(container).ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                missing.Add($"container '{container}'");
            }
        }

        double latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (missing.Count > 0)
        {
            return new DependencyHealth(Name, HealthStatus.Red, "missing: " + string.Join(", ", missing), latency);
        }

        string detail = $"{_tableNames.Length} tables and {_containerNames.Length} containers present";
        return new DependencyHealth(Name, latency > 1000 ? HealthStatus.Yellow : HealthStatus.Green, detail, latency);
    }
}
