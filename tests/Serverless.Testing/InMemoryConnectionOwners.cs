using System.Collections.Concurrent;
using Serverless.Core.SignalRService;

namespace Serverless.Testing;

/// <summary><see cref="IConnectionOwners"/> in memory, with the Table implementation's rules.</summary>
public sealed class InMemoryConnectionOwners : IConnectionOwners
{
    private readonly ConcurrentDictionary<string, (string Owner, bool Closed)> _rows = new(StringComparer.Ordinal);
    private readonly List<(string Owner, string ConnectionId)> _open = [];

    /// <summary>When set, every call fails with it, as the Table store does when storage is away.</summary>
    public Exception? Failure { get; set; }

    public Task<bool> ClaimAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            return Task.FromException<bool>(failure);
        }

        (string owner, bool closed) = _rows.GetOrAdd(connectionId, (ownerId, false));
        return Task.FromResult(owner == ownerId && !closed);
    }

    public Task<bool> CloseAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            return Task.FromException<bool>(failure);
        }

        (string owner, _) = _rows.GetOrAdd(connectionId, (ownerId, true));
        if (owner != ownerId)
        {
            return Task.FromResult(false);
        }

        _rows[connectionId] = (ownerId, true);
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<string>> AddOpenAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            return Task.FromException<IReadOnlyList<string>>(failure);
        }

        lock (_open)
        {
            if (!_open.Contains((ownerId, connectionId)))
            {
                _open.Add((ownerId, connectionId));
            }

            return Task.FromResult<IReadOnlyList<string>>([.. _open.Where(c => c.Owner == ownerId).Select(c => c.ConnectionId)]);
        }
    }

    public Task RemoveOpenAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            return Task.FromException(failure);
        }

        lock (_open)
        {
            _open.Remove((ownerId, connectionId));
        }

        return Task.CompletedTask;
    }
}
