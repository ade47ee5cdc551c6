namespace Serverless.Core.SignalRService;

/// <summary>
/// Which owner each Azure SignalR connection belongs to, recorded when it connects: the upstream signature
/// covers only the connection id, so <c>X-ASRS-User-Id</c> is checked against this record.
/// </summary>
internal interface IConnectionOwners
{
    /// <summary>
    /// True when the connection is open and belongs to <paramref name="ownerId"/>; a connection seen for the
    /// first time is recorded as <paramref name="ownerId"/>'s (the first signed call wins, normally <c>connected</c>).
    /// </summary>
    Task<bool> ClaimAsync(string connectionId, string ownerId, CancellationToken cancellationToken);

    /// <summary>Marks the connection closed for good, so its signed id cannot be replayed; false when it belongs to another owner.</summary>
    Task<bool> CloseAsync(string connectionId, string ownerId, CancellationToken cancellationToken);

    /// <summary>
    /// Counts the connection among its owner's open ones (again: no change) and answers them all, oldest first, this
    /// one included. Every instance of the app sees the same list.
    /// </summary>
    Task<IReadOnlyList<string>> AddOpenAsync(string connectionId, string ownerId, CancellationToken cancellationToken);

    /// <summary>No longer counts the connection among its owner's open ones (nothing happens when it was not counted).</summary>
    Task RemoveOpenAsync(string connectionId, string ownerId, CancellationToken cancellationToken);
}
