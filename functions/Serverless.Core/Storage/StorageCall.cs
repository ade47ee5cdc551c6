using System.Net.Sockets;
using Azure;
using Serverless.Protocol;

namespace Serverless.Core.Storage;

/// <summary>Runs a job storage call for a caller who is waiting: an outage answers SERVICE_UNAVAILABLE, not an unexpected error.</summary>
internal static class StorageCall
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsOutage(ex, cancellationToken))
        {
            throw new JobException(JobError.Unavailable("Job storage is unavailable; retry shortly.") with { RetryAfterMs = 2000 }, ex);
        }
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is how storage being away surfaces: a service answer, a network failure, the
    /// SDK's retries running out (an AggregateException), or a network timeout (a cancellation nobody asked for). A
    /// connection dropped while it is being opened can reach the caller as a bare SocketException, unwrapped by the
    /// HTTP stack and the SDK alike.
    /// </summary>
    public static bool IsOutage(Exception exception, CancellationToken cancellationToken) =>
        exception is RequestFailedException or IOException or SocketException or HttpRequestException or TimeoutException or AggregateException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static Task<bool> RunAsync(Func<Task> call, CancellationToken cancellationToken) => RunAsync(
        async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        },
        cancellationToken);
}
