using Azure;
using Serverless.Protocol;

namespace Serverless.Core.Storage;

/// <summary>Runs a job storage call for a caller who is waiting: an outage answers SERVICE_UNAVAILABLE, not an unexpected error.</summary>
internal static class StorageCall
{
    // A storage call's network timeout surfaces as a cancellation the caller did not ask for: an outage, not a hang-up.
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or IOException or HttpRequestException or TimeoutException or AggregateException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new JobException(JobError.Unavailable("Job storage is unavailable; retry shortly.") with { RetryAfterMs = 2000 }, ex);
        }
    }

    public static Task<bool> RunAsync(Func<Task> call, CancellationToken cancellationToken) => RunAsync(
        async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        },
        cancellationToken);
}
