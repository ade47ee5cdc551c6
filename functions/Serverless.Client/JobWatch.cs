using System.Threading.Channels;
using Serverless.Protocol;

namespace Serverless.Client;

/// <summary>
/// One watcher of one job: takes messages from any source (live pushes, resume replays) in any order and hands
/// them out exactly once, in seq order. Live pushes can overtake the replay, so later seqs wait here until the
/// gap before them is filled.
/// </summary>
internal sealed class JobWatch(string jobId, long afterSeq)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, JobMessage> _pending = [];
    private readonly Channel<WatchSignal> _signals = Channel.CreateUnbounded<WatchSignal>(new UnboundedChannelOptions { SingleReader = true });
    private long _nextSeq = afterSeq + 1;
    private Exception? _closedBy;

    public string JobId { get; } = jobId;

    /// <summary>The seq of the last message handed out (or the starting point).</summary>
    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _nextSeq - 1;
            }
        }
    }

    public Exception? ClosedBy => Volatile.Read(ref _closedBy);

    /// <summary>Whether messages after the last one handed out have arrived (e.g. a retry's, after a <c>failed</c> message).</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>Keeps <paramref name="message"/> unless it was already handed out or is already waiting.</summary>
    public void Offer(JobMessage message)
    {
        if (message.JobId != JobId || message.Seq is not { } seq)
        {
            return;
        }

        lock (_gate)
        {
            if (seq < _nextSeq || !_pending.TryAdd(seq, message))
            {
                return;
            }
        }

        _signals.Writer.TryWrite(WatchSignal.Arrived);
    }

    /// <summary>The next message in seq order, when it has arrived.</summary>
    public bool TryTakeNext(out JobMessage message)
    {
        lock (_gate)
        {
            if (_pending.Remove(_nextSeq, out JobMessage? next))
            {
                _nextSeq++;
                message = next;
                return true;
            }
        }

        message = null!;
        return false;
    }

    public void RequestResync() => _signals.Writer.TryWrite(WatchSignal.ResyncRequested);

    public void Close(Exception? reason)
    {
        Volatile.Write(ref _closedBy, reason);
        _signals.Writer.TryWrite(WatchSignal.Closed);
    }

    /// <summary>Waits for the next signal, or <see cref="WatchSignal.TimedOut"/> after <paramref name="timeout"/>.</summary>
    public async ValueTask<WatchSignal> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (_signals.Reader.TryRead(out WatchSignal ready))
        {
            return ready;
        }

        using var timer = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            return await _signals.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WatchSignal.TimedOut;
        }
    }
}
