using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Core.Notifications;
using Serverless.Core.Storage;

namespace Serverless.Core.Operators;

/// <summary>
/// The operator controls in Table storage, so they hold across instances and restarts: one row per paused action
/// (partition <c>pause</c>, the action as RowKey — always a registered action, never raw client text) and one row for
/// the push circuit override. The table stays a handful of rows, so it is read whole.
/// </summary>
internal sealed class OperatorControlStore
{
    private const string PausePartition = "pause";
    private const string CircuitPartition = "push-circuit";
    private const string CircuitRow = "override";

    private readonly TableClient _table;
    private readonly StorageInitializer _storage;

    public OperatorControlStore(StorageClients clients, IOptions<StorageOptions> options, StorageInitializer storage)
    {
        _table = clients.Table(options.Value.OperatorControlsTable);
        _storage = storage;
    }

    public async Task<OperatorControlState> ReadAsync(CancellationToken cancellationToken)
    {
        var paused = new HashSet<string>(StringComparer.Ordinal);
        PushCircuitOverride? circuit = null;
        try
        {
            await foreach (TableEntity row in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (row.PartitionKey == PausePartition)
                {
                    paused.Add(row.RowKey);
                }
                else if (row.PartitionKey == CircuitPartition && row.GetDateTimeOffset("Until") is { } until)
                {
                    circuit = new PushCircuitOverride(row.GetBoolean("Open") ?? false, until, row.GetString("Operator") ?? "");
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // A fresh account before the initializer made the table: nothing is in force.
        }

        return new OperatorControlState(paused, circuit);
    }

    public async Task PauseAsync(string action, string operatorId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await _storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(PausePartition, action) { ["Operator"] = operatorId, ["PausedAt"] = at };
        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task ResumeAsync(string action, CancellationToken cancellationToken)
    {
        await _storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _table.DeleteEntityAsync(PausePartition, action, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the override, or removes it when <paramref name="circuit"/> is null (the breaker decides again).</summary>
    public async Task SetPushCircuitAsync(PushCircuitOverride? circuit, CancellationToken cancellationToken)
    {
        await _storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        if (circuit is null)
        {
            await _table.DeleteEntityAsync(CircuitPartition, CircuitRow, ETag.All, cancellationToken).ConfigureAwait(false);
            return;
        }

        var row = new TableEntity(CircuitPartition, CircuitRow)
        {
            ["Open"] = circuit.Open,
            ["Until"] = circuit.Until,
            ["Operator"] = circuit.OperatorId,
        };
        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}
