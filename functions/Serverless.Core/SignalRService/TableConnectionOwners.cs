using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.SignalRService;

/// <summary>
/// <see cref="IConnectionOwners"/> in the <see cref="StorageOptions.ConnectionsTable"/> table: one row per
/// connection (key derived from the connection id), kept after it closes so a closed id cannot be bound again; and
/// per owner, a partition with a row per open connection, ordered by when the service first reported it.
/// </summary>
internal sealed class TableConnectionOwners(StorageClients clients, IOptions<StorageOptions> options, StorageInitializer storage) : IConnectionOwners
{
    private const string OwnerProperty = "OwnerId";
    private const string ClosedProperty = "Closed";
    private const string ConnectionIdProperty = "ConnectionId";

    private readonly TableClient _table = clients.Table(options.Value.ConnectionsTable);

    public async Task<bool> ClaimAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        TableEntity? row = await GetOrAddAsync(connectionId, ownerId, closed: false, cancellationToken).ConfigureAwait(false);
        return row is null || (Owns(row, ownerId) && row.GetBoolean(ClosedProperty) != true);
    }

    public async Task<bool> CloseAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        TableEntity? row = await GetOrAddAsync(connectionId, ownerId, closed: true, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return true;
        }

        if (!Owns(row, ownerId))
        {
            return false;
        }

        row[ClosedProperty] = true;
        await WithTableAsync(() => _table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<string>> AddOpenAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        var row = new TableEntity(JobKeys.OwnerKey(ownerId), JobKeys.ConnectionKey(connectionId)) { [ConnectionIdProperty] = connectionId };
        try
        {
            await WithTableAsync(() => _table.AddEntityAsync(row, cancellationToken)).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Reported twice: the first report's place in the order stands.
        }

        // The service's timestamp orders them the same way for every instance.
        var open = new List<(DateTimeOffset At, string Key, string ConnectionId)>();
        await foreach (TableEntity entity in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == row.PartitionKey, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            open.Add((entity.Timestamp ?? DateTimeOffset.MaxValue, entity.RowKey, entity.GetString(ConnectionIdProperty)));
        }

        return [.. open.OrderBy(c => c.At).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.ConnectionId)];
    }

    public async Task RemoveOpenAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        // Answers 404 when it was not counted, which the SDK does not throw for.
        await WithTableAsync(() => _table.DeleteEntityAsync(JobKeys.OwnerKey(ownerId), JobKeys.ConnectionKey(connectionId), ETag.All, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Adds the row; null when added, else the row already there.</summary>
    private async Task<TableEntity?> GetOrAddAsync(string connectionId, string ownerId, bool closed, CancellationToken cancellationToken)
    {
        var row = new TableEntity(JobKeys.ConnectionKey(connectionId), JobKeys.StateRowKey)
        {
            [OwnerProperty] = ownerId,
            [ClosedProperty] = closed,
        };
        try
        {
            await WithTableAsync(() => _table.AddEntityAsync(row, cancellationToken)).ConfigureAwait(false);
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return (await _table.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
    }

    private static bool Owns(TableEntity row, string ownerId) =>
        string.Equals(row.GetString(OwnerProperty), ownerId, StringComparison.Ordinal);

    private async Task WithTableAsync(Func<Task> write)
    {
        await storage.EnsureCreatedAsync(CancellationToken.None).ConfigureAwait(false);
        await write().ConfigureAwait(false);
    }
}
