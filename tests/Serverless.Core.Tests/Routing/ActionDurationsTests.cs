using Microsoft.Extensions.Options;
using Serverless.Core.Handlers;
using Serverless.Core.Routing;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Routing;

/// <summary>Adaptive routing: the observed p95 moves an action async above the threshold and back well below it.</summary>
public sealed class ActionDurationsTests
{
    private static readonly IJobHandler Echo = new EchoHandler();

    private readonly ActionDurations _durations = new(Options.Create(new RouterOptions
    {
        SyncThreshold = TimeSpan.FromSeconds(5),
        MinimumSamples = 5,
        DurationWindow = 20,
        ReturnToSyncFactor = 0.5,
    }));

    [Fact]
    public void TooFewSamples_TheDeclaredEstimateDecides()
    {
        Record(4, seconds: 30);

        RouteDecision decision = _durations.Decide(Echo);

        Assert.Equal(JobMode.Sync, decision.Mode);
        Assert.Equal(RouteDecision.Declared, decision.Basis);
        Assert.Null(_durations.ObservedP95("echo"));
    }

    [Fact]
    public void P95AboveTheThreshold_RoutesAsync_ThenHysteresisHoldsItThere()
    {
        Record(20, seconds: 1);
        Assert.Equal(JobMode.Sync, _durations.Decide(Echo).Mode);

        // 2 slow runs in 20 are above the 95th percentile.
        Record(2, seconds: 9);
        RouteDecision slow = _durations.Decide(Echo);
        Assert.Equal(JobMode.Async, slow.Mode);
        Assert.Equal(RouteDecision.Observed, slow.Basis);

        // Below the threshold but above half of it: stays async.
        Record(20, seconds: 3);
        Assert.Equal(JobMode.Async, _durations.Decide(Echo).Mode);

        // Well below: back to sync.
        Record(20, seconds: 2);
        RouteDecision back = _durations.Decide(Echo);
        Assert.Equal(JobMode.Sync, back.Mode);
        Assert.Equal(TimeSpan.FromSeconds(2), _durations.ObservedP95("echo"));
    }

    [Fact]
    public void TheReason_ShowsTheCurrentP95_ToTheMillisecond()
    {
        Record(20, seconds: 1);
        RouteDecision first = _durations.Decide(Echo);
        Assert.Equal("observed p95 1 s is within the 5 s threshold", first.Reason);
        Assert.Same(first, _durations.Decide(Echo));

        Record(20, seconds: 1.0004);
        Assert.Same(first, _durations.Decide(Echo));

        Record(20, seconds: 1.25);
        Assert.Equal("observed p95 1.25 s is within the 5 s threshold", _durations.Decide(Echo).Reason);

        Record(20, seconds: 6);
        Assert.Equal("observed p95 6 s exceeds the 5 s threshold", _durations.Decide(Echo).Reason);
    }

    [Fact]
    public void DeclaredLongAction_IsAlwaysAsync_WhateverWasObserved()
    {
        Record(20, seconds: 0.01, action: "simulate");

        RouteDecision decision = _durations.Decide(new SimulateHandler());

        Assert.Equal(JobMode.Async, decision.Mode);
        Assert.Equal(RouteDecision.Declared, decision.Basis);
    }

    [Fact]
    public void MergedWindowFromOtherInstances_Counts_AndLocalSamplesSinceAreKept()
    {
        Record(1, seconds: 1);
        Dictionary<string, double[]> pending = _durations.TakePending();
        Assert.Equal([1.0], pending["echo"]);

        Record(1, seconds: 7);
        _durations.Apply("echo", [8, 8, 8, 8]);

        // Four shared samples plus the one taken here after the merge was read.
        Assert.Equal(TimeSpan.FromSeconds(8), _durations.ObservedP95("echo"));
        Assert.Equal(JobMode.Async, _durations.Decide(Echo).Mode);
    }

    private void Record(int count, double seconds, string action = "echo")
    {
        for (int i = 0; i < count; i++)
        {
            _durations.Record(action, TimeSpan.FromSeconds(seconds));
        }
    }
}
