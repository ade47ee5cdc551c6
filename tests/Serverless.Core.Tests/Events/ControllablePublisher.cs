using System.Collections.Concurrent;
using Serverless.Core.Events;
using Serverless.EventStream;

namespace Serverless.Core.Tests.Events;

/// <summary>An Event Hubs publisher that is healthy, failing (throws at once) or hanging (an outage that only times out), on demand.</summary>
internal sealed class ControllablePublisher : IJobEventPublisher
{
    private const int Healthy = 0;
    private const int Failing = 1;
    private const int Hanging = 2;
    private int _mode;
    private CancellationTokenSource _release = new();
    private int _attempts;
    private int _failures;
    private int _inFlight;

    public ConcurrentQueue<JobEventEnvelope> Delivered { get; } = new();

    public int Attempts => Volatile.Read(ref _attempts);

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Calls waiting inside the publisher right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void Heal() => Switch(Healthy);

    public void Fail() => Switch(Failing);

    public void Hang() => Switch(Hanging);

    public async Task PublishAsync(IReadOnlyList<JobEventEnvelope> events, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        switch (Volatile.Read(ref _mode))
        {
            case Failing:
                Interlocked.Increment(ref _failures);
                throw new IOException("Simulated Event Hubs outage.");
            case Hanging:
                Interlocked.Increment(ref _inFlight);
                try
                {
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _release.Token);
                    await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }

                Interlocked.Increment(ref _failures);
                throw new TimeoutException("Simulated Event Hubs send timeout.");
            default:
                foreach (JobEventEnvelope e in events)
                {
                    Delivered.Enqueue(e);
                }

                return;
        }
    }

    private void Switch(int mode)
    {
        Volatile.Write(ref _mode, mode);
        CancellationTokenSource old = Interlocked.Exchange(ref _release, new CancellationTokenSource());
        old.Cancel();
        old.Dispose();
    }
}
