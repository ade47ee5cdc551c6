using System.Collections.Concurrent;
using Serverless.Core.SignalRService;

namespace Serverless.Tests.Common;

/// <summary><see cref="IConnectionOwners"/> in memory, with the Table implementation's rules.</summary>
public sealed class InMemoryConnectionOwners : IConnectionOwners
{
    private readonly ConcurrentDictionary<string, (string Owner, bool Closed)> _rows = new(StringComparer.Ordinal);

    public Task<bool> ClaimAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        (string owner, bool closed) = _rows.GetOrAdd(connectionId, (ownerId, false));
        return Task.FromResult(owner == ownerId && !closed);
    }

    public Task<bool> CloseAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        (string owner, _) = _rows.GetOrAdd(connectionId, (ownerId, true));
        if (owner != ownerId)
        {
            return Task.FromResult(false);
        }

        _rows[connectionId] = (ownerId, true);
        return Task.FromResult(true);
    }
}
