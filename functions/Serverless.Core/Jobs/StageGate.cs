using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;
using Serverless.Protocol;

namespace Serverless.Core.Jobs;

/// <summary>
/// Admits at most <see cref="JobOptions.MaxConcurrentStages"/> running stages on this host. Under load, waiting
/// stages enter by their job's priority — high, then normal, then low — and in arrival order within a priority.
/// </summary>
internal sealed class StageGate
{
    private readonly IOptions<JobOptions> _options;
    private readonly Lock _lock = new();
    private readonly PriorityQueue<TaskCompletionSource, (int Rank, long Order)> _waiting = new();
    private long _arrivals;
    private int _running;

    public StageGate(IOptions<JobOptions> options, ServerlessMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options;
        metrics.Meter.CreateObservableGauge(MetricNames.StagesRunning, () => Running, unit: "{stage}", description: "Stages running now on this host.");
        metrics.Meter.CreateObservableGauge(MetricNames.StagesWaiting, () => Waiting, unit: "{stage}", description: "Stages waiting for a slot on this host (Jobs:MaxConcurrentStages).");
    }

    /// <summary>Stages running now on this host.</summary>
    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>Stages waiting for a slot now on this host.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                // A cancelled waiter stays queued until a release skips it; it is not waiting.
                return _waiting.UnorderedItems.Count(item => !item.Element.Task.IsCompleted);
            }
        }
    }

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async ValueTask<IDisposable> EnterAsync(string priority, CancellationToken cancellationToken)
    {
        TaskCompletionSource admitted;
        lock (_lock)
        {
            if (_waiting.Count == 0 && _running < _options.Value.MaxConcurrentStages)
            {
                _running++;
                return new Slot(this);
            }

            admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(admitted, (Rank(priority), _arrivals++));
        }

        // A cancelled waiter stays queued but can no longer be admitted; Release skips it.
        using (cancellationToken.Register(() => admitted.TrySetCanceled(cancellationToken)))
        {
            await admitted.Task.ConfigureAwait(false);
        }

        return new Slot(this);
    }

    private void Release()
    {
        lock (_lock)
        {
            // The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
            while (_waiting.TryDequeue(out TaskCompletionSource? next, out _))
            {
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _running--;
        }
    }

    private static int Rank(string priority) => JobPriority.Parse(priority) switch
    {
        JobPriority.High => 0,
        JobPriority.Low => 2,
        _ => 1,
    };

    private sealed class Slot(StageGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
