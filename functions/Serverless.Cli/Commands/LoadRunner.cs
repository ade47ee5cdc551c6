using System.Collections.Concurrent;
using System.Text.Json;
using Serverless.Client;
using Serverless.Protocol;

namespace Serverless.Cli.Commands;

/// <summary>
/// Runs N clients, each on its own SignalR connection, each submitting M jobs one after the other and following
/// async ones to their end; measures the time to the reply (ack) and to the end (completion) of every job.
/// </summary>
internal sealed class LoadRunner(CliContext context, string action, JsonElement payload, int clients, int jobsPerClient, TimeSpan jobTimeout)
{
    private readonly ConcurrentBag<double> _ackMs = [];
    private readonly ConcurrentBag<double> _completionMs = [];
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private int _succeeded;
    private int _finished;

    public int Finished => Volatile.Read(ref _finished);

    public int Total => clients * jobsPerClient;

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        // One token for every client: fetched once, not N times at the same moment.
        _ = await context.GetTokenAsync(role: null, cancellationToken).ConfigureAwait(false);
        var connected = new List<JobClient>(clients);
        try
        {
            for (int i = 0; i < clients; i++)
            {
                JobClient client = context.CreateClient();
                connected.Add(client);
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }

            long started = context.TimeProvider.GetTimestamp();
            string run = Guid.NewGuid().ToString("N")[..8];
            await Task.WhenAll(connected.Select((client, index) => RunClientAsync(client, $"load-{run}-{index}", cancellationToken))).ConfigureAwait(false);
            double elapsed = context.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
            return new LoadReport(
                action, clients, jobsPerClient, Total, _succeeded, Total - _succeeded,
                Total == 0 ? 0 : Math.Round(100.0 * _succeeded / Total, 2),
                Math.Round(elapsed, 1),
                LatencySummary.From(_ackMs),
                LatencySummary.From(_completionMs),
                new SortedDictionary<string, int>(_errors, StringComparer.Ordinal));
        }
        finally
        {
            foreach (JobClient client in connected)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task RunClientAsync(JobClient client, string prefix, CancellationToken cancellationToken)
    {
        for (int job = 0; job < jobsPerClient; job++)
        {
            await RunJobAsync(client, $"{prefix}-{job}", cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _finished);
        }
    }

    private async Task RunJobAsync(JobClient client, string requestId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(jobTimeout);
        long started = context.TimeProvider.GetTimestamp();
        try
        {
            JobMessage reply = await client.SubmitAsync(new JobRequest { RequestId = requestId, Action = action, Payload = payload }, timeout.Token).ConfigureAwait(false);
            _ackMs.Add(context.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
            string outcome = MessageTypes.Completed;
            if (reply.Type == MessageTypes.Accepted)
            {
                await foreach (JobMessage message in client.WatchAsync(reply.JobId!, 0, timeout.Token).ConfigureAwait(false))
                {
                    outcome = message.Type == MessageTypes.Failed ? message.Error?.Code ?? message.Type : message.Type;
                }
            }

            _completionMs.Add(context.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
            if (outcome == MessageTypes.Completed)
            {
                Interlocked.Increment(ref _succeeded);
            }
            else
            {
                _errors.AddOrUpdate(outcome, 1, (_, count) => count + 1);
            }
        }
        catch (JobClientException ex)
        {
            _errors.AddOrUpdate(ex.Error.Code, 1, (_, count) => count + 1);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _errors.AddOrUpdate(ErrorCodes.Timeout, 1, (_, count) => count + 1);
        }
    }
}
