using Serverless.Protocol;

namespace Serverless.Client.Tests;

public sealed class JobWatchTests
{
    private static JobMessage Progress(long seq, string jobId = "job1") => new() { Type = MessageTypes.Progress, JobId = jobId, Seq = seq };

    private static List<long> Drain(JobWatch watch)
    {
        var taken = new List<long>();
        while (watch.TryTakeNext(out JobMessage message))
        {
            taken.Add(message.Seq!.Value);
        }

        return taken;
    }

    [Fact]
    public void Offer_OutOfOrderAndDuplicated_HandsOutEachOnceInSeqOrder()
    {
        var watch = new JobWatch("job1", afterSeq: 0);

        foreach (long seq in new long[] { 3, 4, 3, 1 })
        {
            watch.Offer(Progress(seq));
        }

        Assert.Equal([1], Drain(watch));
        watch.Offer(Progress(2));
        watch.Offer(Progress(1));
        Assert.Equal([2, 3, 4], Drain(watch));
        Assert.Equal(4, watch.LastSeq);
    }

    [Fact]
    public void Offer_AtOrBeforeAfterSeqOrOtherJob_IsIgnored()
    {
        var watch = new JobWatch("job1", afterSeq: 5);

        watch.Offer(Progress(5));
        watch.Offer(Progress(6, jobId: "job2"));
        watch.Offer(new JobMessage { Type = MessageTypes.Accepted, JobId = "job1" });

        Assert.Empty(Drain(watch));
        watch.Offer(Progress(6));
        Assert.Equal([6], Drain(watch));
    }

    [Fact]
    public async Task WaitAsync_NothingArrives_TimesOut()
    {
        var watch = new JobWatch("job1", afterSeq: 0);

        WatchSignal signal = await watch.WaitAsync(TimeSpan.FromMilliseconds(50), TimeProvider.System, CancellationToken.None);

        Assert.Equal(WatchSignal.TimedOut, signal);
    }
}
