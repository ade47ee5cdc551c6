using System.Collections.Concurrent;
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
/// <remarks>
/// A connection's owner never changes and the service never reuses a connection id, so an owner confirmed from storage
/// is remembered per instance for <see cref="ConfirmedFor"/>: a client's calls on one connection cost no storage request
/// after the first. A close seen by this instance forgets it at once; a close handled by another instance is seen here
/// when the memory runs out. Until then a replay of that connection's signed calls is still refused by the upstream's
/// function key, which the replayer would also need.
/// </remarks>
internal sealed class TableConnectionOwners(
    StorageClients clients, IOptions<StorageOptions> options, StorageInitializer storage, TimeProvider time) : IConnectionOwners
{
    internal static readonly TimeSpan ConfirmedFor = TimeSpan.FromSeconds(60);

    // Far above what one instance holds open; past it, the memory starts again rather than grow.
    private const int MaxConfirmed = 100_000;

    private const string OwnerProperty = "OwnerId";
    private const string ClosedProperty = "Closed";
    private const string ConnectionIdProperty = "ConnectionId";

    private readonly TableClient _table = clients.Table(options.Value.ConnectionsTable);
    private readonly ConcurrentDictionary<string, (string OwnerId, DateTimeOffset Until)> _confirmed = new(StringComparer.Ordinal);

    public async Task<bool> ClaimAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (_confirmed.TryGetValue(connectionId, out (string OwnerId, DateTimeOffset Until) known) && known.Until > now)
        {
            return string.Equals(known.OwnerId, ownerId, StringComparison.Ordinal);
        }

        TableEntity? row = await GetOrAddAsync(connectionId, ownerId, closed: false, cancellationToken).ConfigureAwait(false);
        bool open = row is null || row.GetBoolean(ClosedProperty) != true;
        if (open)
        {
            Remember(connectionId, row is null ? ownerId : row.GetString(OwnerProperty), now);
        }

        return open && (row is null || Owns(row, ownerId));
    }

    public async Task<bool> CloseAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        _confirmed.TryRemove(connectionId, out _);
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

    /// <summary>
    /// Reads the row, adding it when there is none yet; null when added, else the row already there. Read first: the
    /// service's <c>connected</c> event normally added it, so one request answers.
    /// </summary>
    private async Task<TableEntity?> GetOrAddAsync(string connectionId, string ownerId, bool closed, CancellationToken cancellationToken)
    {
        string partitionKey = JobKeys.ConnectionKey(connectionId);
        NullableResponse<TableEntity> existing = await ReadAsync(partitionKey, cancellationToken).ConfigureAwait(false);
        if (existing.HasValue)
        {
            return existing.Value;
        }

        var row = new TableEntity(partitionKey, JobKeys.StateRowKey)
        {
            [OwnerProperty] = ownerId,
            [ClosedProperty] = closed,
        };
        try
        {
            await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Another instance added it between the read and the add.
            return (await _table.GetEntityAsync<TableEntity>(partitionKey, JobKeys.StateRowKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
    }

    private async Task<NullableResponse<TableEntity>> ReadAsync(string partitionKey, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(CancellationToken.None).ConfigureAwait(false);
        return await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, JobKeys.StateRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private void Remember(string connectionId, string? ownerId, DateTimeOffset now)
    {
        if (ownerId is null)
        {
            return;
        }

        if (_confirmed.Count >= MaxConfirmed)
        {
            _confirmed.Clear();
        }

        _confirmed[connectionId] = (ownerId, now + ConfirmedFor);
    }

    private static bool Owns(TableEntity row, string ownerId) =>
        string.Equals(row.GetString(OwnerProperty), ownerId, StringComparison.Ordinal);

    private async Task WithTableAsync(Func<Task> write)
    {
        await storage.EnsureCreatedAsync(CancellationToken.None).ConfigureAwait(false);
        await write().ConfigureAwait(false);
    }
}
