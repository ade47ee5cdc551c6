using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Diagnostics;
using Serverless.Core.Jobs;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Diagnostics;

public sealed class CapacityStatisticsTests
{
    [Fact]
    public async Task Snapshot_StagesWaitingForASlot_AreCountedForThisHostOnly()
    {
        ServerlessMetrics metrics = TestMetrics.Create();
        var gate = new StageGate(Options.Create(new JobOptions { MaxConcurrentStages = 1 }), metrics);
        var otherHostsGate = new StageGate(Options.Create(new JobOptions { MaxConcurrentStages = 1 }), TestMetrics.Create());
        using IDisposable running = await gate.EnterAsync(JobPriority.Normal, CancellationToken.None);
        using IDisposable otherRunning = await otherHostsGate.EnterAsync(JobPriority.Normal, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        ValueTask<IDisposable> first = gate.EnterAsync(JobPriority.Normal, cancel.Token);
        ValueTask<IDisposable> second = gate.EnterAsync(JobPriority.Low, cancel.Token);
        ValueTask<IDisposable> elsewhere = otherHostsGate.EnterAsync(JobPriority.Low, cancel.Token);
        using var sut = new CapacityStatistics(metrics, new FakeTimeProvider());

        CapacitySnapshot capacity = sut.Snapshot();

        Assert.Equal(1, capacity.StagesRunning);
        Assert.Equal(2, capacity.StagesWaiting);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await second);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await elsewhere);
        Assert.Equal(0, sut.Snapshot().StagesWaiting);
    }

    [Fact]
    public void Snapshot_Process_ReportsMemoryAlwaysAndCpuFromTheSecondReading()
    {
        var time = new FakeTimeProvider();
        using var sut = new CapacityStatistics(TestMetrics.Create(), time);

        CapacitySnapshot first = sut.Snapshot();
        time.Advance(TimeSpan.FromSeconds(5));
        CapacitySnapshot second = sut.Snapshot();

        Assert.True(first.WorkingSetBytes > 0, $"working set {first.WorkingSetBytes}");
        Assert.NotNull(first.ThreadPoolQueueLength);
        Assert.Null(first.CpuPercent);
        Assert.InRange(second.CpuPercent!.Value, 0, 100);
        Assert.Null(first.ControlQueueMessages);
    }

    [Fact]
    public void Snapshot_ConnectionsOpenedAndClosed_CountsThoseOpen()
    {
        ServerlessMetrics metrics = TestMetrics.Create();
        using var sut = new CapacityStatistics(metrics, new FakeTimeProvider());

        metrics.ActiveConnections.Add(1);
        metrics.ActiveConnections.Add(1);
        metrics.ActiveConnections.Add(-1);

        Assert.Equal(1, sut.Snapshot().ConnectedClients);
    }
}
