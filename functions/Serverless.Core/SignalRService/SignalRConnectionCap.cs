using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Routing;

namespace Serverless.Core.SignalRService;

/// <summary>
/// <see cref="LimitsOptions.MaxConnectionsPerUser"/> on the Azure path. The service's <c>connected</c> event cannot
/// refuse a connection, so one past the cap is closed through the REST API, with the reason. The open connections are
/// counted in storage (<see cref="IConnectionOwners"/>), so the cap holds across instances; the oldest ones keep their
/// places. One whose <c>disconnected</c> event never arrived is asked after at the service before it counts.
/// </summary>
internal sealed class SignalRConnectionCap(
    IConnectionOwners owners, SignalRRestClient service, IOptions<LimitsOptions> limits, ILogger<SignalRConnectionCap> logger)
{
    /// <summary>Counts a connection that has just opened; closes it when its owner already held the most they may.</summary>
    public async Task AdmitAsync(string connectionId, string ownerId, CancellationToken cancellationToken)
    {
        int max = limits.Value.MaxConnectionsPerUser;
        IReadOnlyList<string> open = await owners.AddOpenAsync(connectionId, ownerId, cancellationToken).ConfigureAwait(false);
        int older = open.TakeWhile(id => id != connectionId).Count();
        if (older < max)
        {
            return;
        }

        foreach (string earlier in open.Take(older))
        {
            if (!await service.ConnectionExistsAsync(earlier, cancellationToken).ConfigureAwait(false))
            {
                await owners.RemoveOpenAsync(earlier, ownerId, cancellationToken).ConfigureAwait(false);
                older--;
            }
        }

        if (older < max)
        {
            return;
        }

        await owners.RemoveOpenAsync(connectionId, ownerId, cancellationToken).ConfigureAwait(false);
        await service.CloseConnectionAsync(connectionId, $"At most {max} connections per user; close one first.", cancellationToken).ConfigureAwait(false);
        Log.ConnectionOverCap(logger, connectionId, ownerId, max);
    }

    /// <summary>Frees the place of a connection that has closed.</summary>
    public Task ReleaseAsync(string connectionId, string ownerId, CancellationToken cancellationToken) =>
        owners.RemoveOpenAsync(connectionId, ownerId, cancellationToken);
}
