using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LoadTest;

/// <summary>
/// A steady async load on the local host (a child process) for a long run, the host killed with SIGKILL and restarted
/// on the same port at a fixed interval. Clients reconnect, resubmit what was in flight with the same request id and
/// resume every unfinished job after the last seq they saw. Checks: every accepted job completes; each job's history
/// holds one terminal event and seq 1..N without a gap; what each client saw (pushed or resumed) is that history;
/// the host's resident memory at the end is within 10 % of what it was at the first restart.
/// </summary>
internal static class SoakScenario
{
    private const string Scenario = "soak";
    private const int Users = 10;
    private const double SubmitsPerSecond = 2;
    private static readonly object Job = new { stages = 3, durationMs = 600, updates = 3 };
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);

    public static async Task RunAsync(BenchStack stack, BenchResults results, TimeSpan duration, TimeSpan restartEvery)
    {
        string run = "soak" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> settings = stack.HostSettings(run);
        // A killed host's partition leases and dequeued messages lapse after these, so its jobs resume within seconds.
        settings["Durable:WorkItemVisibilityTimeout"] = "00:00:10";
        settings["Durable:ControlQueueVisibilityTimeout"] = "00:00:10";
        settings["Durable:LeaseInterval"] = "00:00:08";
        settings["Durable:LeaseRenewInterval"] = "00:00:02";
        int port = FreePort.Next();
        ChildServer server = await stack.StartServerAsync(settings, port: port);
        var clients = new SoakClient[Users];
        for (int i = 0; i < Users; i++)
        {
            clients[i] = await SoakClient.ConnectAsync(stack, server.BaseAddress, $"{run}-user{i}");
        }

        var rss = new List<(TimeSpan At, int Life, double MiB)>();
        int restarts = 0, submitRetries = 0, life = 1;
        double rssAtFirstRestart = double.NaN;
        var clock = Stopwatch.StartNew();
        try
        {
            using var stopSubmitting = new CancellationTokenSource(duration);
            Task offering = OfferAsync(clients, () => Interlocked.Increment(ref submitRetries), stopSubmitting.Token);
            TimeSpan nextRestart = restartEvery, nextSample = TimeSpan.Zero;
            while (clock.Elapsed < duration)
            {
                if (clock.Elapsed >= nextSample)
                {
                    rss.Add((clock.Elapsed, life, server.RssMiB()));
                    nextSample += TimeSpan.FromSeconds(10);
                }

                if (clock.Elapsed >= nextRestart && clock.Elapsed < duration - TimeSpan.FromSeconds(30))
                {
                    double before = server.RssMiB();
                    rss.Add((clock.Elapsed, life, before));
                    if (double.IsNaN(rssAtFirstRestart))
                    {
                        rssAtFirstRestart = before;
                    }

                    await server.KillAsync(); // SIGKILL, no shutdown of any kind
                    Console.WriteLine($"  {clock.Elapsed:mm\\:ss} killed the host (RSS {before:0} MiB); restarting on port {port}");
                    server = await stack.StartServerAsync(settings, port: port);
                    restarts++;
                    life++;
                    nextRestart += restartEvery;
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            TimeSpan loaded = clock.Elapsed;
            double rssAtEnd = server.RssMiB();
            rss.Add((clock.Elapsed, life, rssAtEnd));
            await offering;

            SoakJob[] jobs = [.. clients.SelectMany(c => c.Jobs.Values).Where(j => j.JobId is not null)];
            int backlog = jobs.Count(j => !j.Ended);
            Console.WriteLine($"  {clock.Elapsed:mm\\:ss} load stopped with {backlog} accepted jobs not yet ended; waiting for them");

            // A backlog drains as long as jobs keep ending; a minute without any ending is a stall, not a slow machine.
            var stalled = Stopwatch.StartNew();
            for (int open = backlog; open > 0 && stalled.Elapsed < TimeSpan.FromMinutes(1);)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                int now = jobs.Count(j => !j.Ended);
                if (now < open)
                {
                    open = now;
                    stalled.Restart();
                }
            }

            TimeSpan drained = clock.Elapsed - loaded;

            // The history each job persisted, read once more from seq 0, against what its owner saw.
            int notCompleted = 0, gaps = 0, terminalCounts = 0, missed = 0, extra = 0;
            foreach (SoakClient client in clients)
            {
                foreach (SoakJob job in client.Jobs.Values.Where(j => j.JobId is not null))
                {
                    JobMessage[] history = await ReadHistoryAsync(client.Connection, job.JobId!);
                    long[] seqs = [.. history.Select(m => m.Seq ?? 0)];
                    if (!seqs.SequenceEqual(Enumerable.Range(1, seqs.Length).Select(i => (long)i)))
                    {
                        gaps++;
                    }

                    if (history.Count(m => MessageTypes.IsTerminal(m.Type)) != 1)
                    {
                        terminalCounts++;
                    }

                    if (history.LastOrDefault()?.Type != MessageTypes.Completed)
                    {
                        notCompleted++;
                    }

                    long[] seen = job.SeenSeqs();
                    missed += seqs.Except(seen).Count();
                    extra += seen.Except(seqs).Count();
                }
            }

            int accepted = jobs.Length, refused = clients.Sum(c => c.Jobs.Values.Count(j => j.JobId is null));
            results.Add(Scenario, $"load, host killed (SIGKILL) and restarted every {restartEvery.TotalMinutes:0.##} min", loaded.TotalMinutes, $"min, {restarts} restarts; {backlog} jobs still running when it stopped, drained in {drained.TotalSeconds:0} s");
            results.Add(Scenario, $"jobs accepted at {SubmitsPerSecond:0}/s offered over {Users} clients", accepted, $"(never accepted: {refused}; submitted again across a restart: {submitRetries})");
            results.Add(Scenario, "accepted jobs that did not complete", notCompleted, "", "0", notCompleted == 0);
            results.Add(Scenario, "jobs without exactly one terminal event", terminalCounts, "", "0", terminalCounts == 0);
            results.Add(Scenario, "jobs whose history is not seq 1..N", gaps, "", "0", gaps == 0);
            results.Add(Scenario, "persisted messages a client missed (pushed or resumed)", missed, "", "0", missed == 0);
            results.Add(Scenario, "messages a client saw that are not in the history", extra, "", "0", extra == 0);
            double growth = (rssAtEnd - rssAtFirstRestart) / rssAtFirstRestart * 100;
            results.Add(Scenario, $"host RSS at the end vs at the first restart ({rssAtFirstRestart:0} → {rssAtEnd:0} MiB)", growth, "%", "≤ 10 %", growth <= 10);
            foreach (IGrouping<int, (TimeSpan At, int Life, double MiB)> lifetime in rss.GroupBy(r => r.Life))
            {
                Console.WriteLine($"  host {lifetime.Key}: RSS {string.Join(", ", lifetime.Where((_, i) => i % 6 == 0 || i == lifetime.Count() - 1).Select(r => $"{r.At:mm\\:ss} {r.MiB:0}"))} MiB");
            }
        }
        finally
        {
            foreach (SoakClient client in clients)
            {
                await client.Connection.DisposeAsync();
            }

            await server.KillAsync();
        }
    }

    /// <summary>A job's persisted history from seq 0; an answer that is an error (storage busy with the backlog) is asked again.</summary>
    private static async Task<JobMessage[]> ReadHistoryAsync(HubConnection connection, string jobId)
    {
        for (int attempt = 1; ; attempt++)
        {
            JobMessage[] history = await connection.InvokeAsync<JobMessage[]>("Resume", jobId, 0L);
            if (history is not [{ Type: MessageTypes.Error } refused])
            {
                return history;
            }

            if (attempt == 10)
            {
                throw new InvalidOperationException($"Resume of {jobId} answered {refused.Error?.Code} ten times: {refused.Error?.Message}");
            }

            await Task.Delay(RetryPause * attempt);
        }
    }

    /// <summary>Offers submits at a steady rate, round robin over the clients, until <paramref name="stop"/>; then waits for those started.</summary>
    private static async Task OfferAsync(SoakClient[] clients, Action retried, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>();
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds(i / SubmitsPerSecond);
            if (due > clock.Elapsed)
            {
                try
                {
                    await Task.Delay(due - clock.Elapsed, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            SoakClient client = clients[i % clients.Length];
            string requestId = $"r{i}";
            pending.Add(Task.Run(() => client.SubmitAsync(requestId, retried), CancellationToken.None));
        }

        await Task.WhenAll(pending);
    }

    /// <summary>One user's connection: submits (resubmitting the same request id until answered), and every message of its jobs.</summary>
    private sealed class SoakClient
    {
        private SoakClient(HubConnection connection) => Connection = connection;

        public HubConnection Connection { get; }

        /// <summary>By request id; a job's id is known once a submit was answered <c>accepted</c>.</summary>
        public ConcurrentDictionary<string, SoakJob> Jobs { get; } = new();

        private ConcurrentDictionary<string, SoakJob> ByJobId { get; } = new();

        public static async Task<SoakClient> ConnectAsync(BenchStack stack, Uri baseAddress, string user)
        {
            HubConnection connection = stack.Connection(baseAddress, user, new ForeverRetry());
            var client = new SoakClient(connection);
            connection.On<JobMessage>(MessageTypes.Target, m =>
            {
                SoakJob job = client.ByJobId.GetOrAdd(m.JobId!, _ => new SoakJob());
                // A seq past the next one means a push was lost without the connection dropping: resume fills the gap.
                if (job.See(m) && job.JobId is not null)
                {
                    _ = client.ResumeAsync(job);
                }
            });
            connection.Reconnected += _ => client.ResumeUnfinishedAsync();
            await connection.StartAsync();
            return client;
        }

        public async Task SubmitAsync(string requestId, Action retried)
        {
            SoakJob? job = null;
            JsonElement request = JsonSerializer.SerializeToElement(new { requestId, action = "simulate", payload = Job });
            var deadline = Stopwatch.StartNew();
            bool resent = false;
            while (deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                try
                {
                    if (Connection.State == HubConnectionState.Connected)
                    {
                        JobMessage reply = await Connection.InvokeAsync<JobMessage>("Submit", request);
                        if (reply.Type == MessageTypes.Accepted)
                        {
                            job = ByJobId.GetOrAdd(reply.JobId!, _ => new SoakJob());
                            job.JobId = reply.JobId;
                            break;
                        }
                    }
                }
                catch (Exception ex) when (IsConnectionLoss(ex))
                {
                    // The host was killed mid-call: whether it was accepted is unknown, so the same request id goes again.
                }

                if (!resent)
                {
                    resent = true;
                    retried();
                }

                await Task.Delay(RetryPause);
            }

            Jobs[requestId] = job ?? new SoakJob();
            if (job is not null && !job.Ended)
            {
                // Messages pushed before the accepted reply arrived are kept; resuming after the last one closes any gap.
                await ResumeAsync(job);
            }
        }

        private async Task ResumeUnfinishedAsync()
        {
            foreach (SoakJob job in ByJobId.Values.Where(j => j.JobId is not null && !j.Ended))
            {
                await ResumeAsync(job);
            }
        }

        public async Task ResumeAsync(SoakJob job)
        {
            try
            {
                foreach (JobMessage message in await Connection.InvokeAsync<JobMessage[]>("Resume", job.JobId!, job.LastSeq))
                {
                    _ = job.See(message);
                }
            }
            catch (Exception ex) when (IsConnectionLoss(ex))
            {
                // Killed again while resuming: the next reconnection resumes it.
            }
        }
    }

    /// <summary>What one job's owner saw of it, by seq.</summary>
    private sealed class SoakJob
    {
        private readonly SortedSet<long> _seqs = [];
        private long _terminalSeq;

        public string? JobId { get; set; }

        public bool Ended { get; private set; }

        public long LastSeq
        {
            get
            {
                lock (_seqs)
                {
                    // The last seq with every earlier one seen: resuming after it fills any gap.
                    long last = 0;
                    while (_seqs.Contains(last + 1))
                    {
                        last++;
                    }

                    return last;
                }
            }
        }

        /// <summary>Records the message; true when seqs before it are missing.</summary>
        public bool See(JobMessage message)
        {
            if (message.Seq is not long seq)
            {
                return false;
            }

            lock (_seqs)
            {
                _seqs.Add(seq);
                if (MessageTypes.IsTerminal(message.Type))
                {
                    _terminalSeq = seq;
                }

                // Ended once the terminal message and every seq before it were seen.
                Ended = _terminalSeq > 0 && _seqs.Count == _terminalSeq;
                return _seqs.Count < seq;
            }
        }

        public long[] SeenSeqs()
        {
            lock (_seqs)
            {
                return [.. _seqs];
            }
        }
    }

    /// <summary>What an invocation throws when the host dies under it or the connection is not back yet.</summary>
    private static bool IsConnectionLoss(Exception ex) =>
        ex is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException or IOException or OperationCanceledException or HttpRequestException or System.Net.WebSockets.WebSocketException;

    /// <summary>Reconnects every half second for as long as it takes: the host comes back on the same port.</summary>
    private sealed class ForeverRetry : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => RetryPause;
    }
}
