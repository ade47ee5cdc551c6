using Microsoft.Extensions.Options;
using Serverless.Core.Jobs;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Jobs;

/// <summary>Priority admission: when every slot is taken, waiting stages enter high, then normal, then low.</summary>
public sealed class StageGateTests
{
    [Fact]
    public async Task FullGate_AdmitsWaitersByPriority_ThenByArrival()
    {
        var gate = new StageGate(Options.Create(new JobOptions { MaxConcurrentStages = 1 }), TestMetrics.Create());
        IDisposable running = await gate.EnterAsync(JobPriority.Normal, CancellationToken.None);
        var admitted = new List<string>();

        Task[] waiters =
        [
            Enter(gate, JobPriority.Low, "low-1", admitted),
            Enter(gate, JobPriority.Normal, "normal-1", admitted),
            Enter(gate, JobPriority.High, "high-1", admitted),
            Enter(gate, JobPriority.Low, "low-2", admitted),
            Enter(gate, JobPriority.High, "high-2", admitted),
        ];
        Assert.Empty(admitted);
        Assert.Equal(1, gate.Running);
        Assert.Equal(5, gate.Waiting);

        running.Dispose();
        await Task.WhenAll(waiters);

        Assert.Equal(["high-1", "high-2", "normal-1", "low-1", "low-2"], admitted);
        Assert.Equal(0, gate.Running);
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public async Task CancelledWaiter_IsSkipped_AndItsTurnPassesOn()
    {
        var gate = new StageGate(Options.Create(new JobOptions { MaxConcurrentStages = 1 }), TestMetrics.Create());
        IDisposable running = await gate.EnterAsync(JobPriority.Normal, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        ValueTask<IDisposable> cancelled = gate.EnterAsync(JobPriority.High, cancel.Token);
        ValueTask<IDisposable> next = gate.EnterAsync(JobPriority.Low, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);
        Assert.Equal(1, gate.Waiting);
        running.Dispose();

        (await next).Dispose();
        Assert.Equal(0, gate.Running);
    }

    private static async Task Enter(StageGate gate, string priority, string name, List<string> admitted)
    {
        using IDisposable slot = await gate.EnterAsync(priority, CancellationToken.None);
        lock (admitted)
        {
            admitted.Add(name);
        }
    }
}
