using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Serverless.Core.Notifications;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Notifications;

/// <summary>The push circuit as an operator holds it: open fails fast, closed ignores failures, and both end on time.</summary>
public sealed class ResilientClientNotifierTests
{
    private static readonly JobMessage Message = new() { Type = MessageTypes.Progress, JobId = "jtest", Seq = 1 };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-30T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CountingPushPath _pushPath = new();
    private readonly HeldCircuit _held = new();

    [Fact]
    public async Task SendToUser_HeldOpen_FailsFastUntilTheHoldEnds_ThenPushesAgain()
    {
        ResilientClientNotifier notifier = CreateSut();
        _held.Override = new PushCircuitOverride(Open: true, _time.GetUtcNow().AddMinutes(5), "ops");

        await Assert.ThrowsAsync<BrokenCircuitException>(() => notifier.SendToUserAsync("user", Message, CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(5));
        await notifier.SendToUserAsync("user", Message, CancellationToken.None);

        Assert.Equal(1, _pushPath.Calls);
    }

    [Fact]
    public async Task SendToUser_HeldClosed_KeepsPushingThroughFailures_ThenTheBreakerDecidesAgain()
    {
        ResilientClientNotifier notifier = CreateSut();
        _pushPath.Fail = true;
        _held.Override = new PushCircuitOverride(Open: false, _time.GetUtcNow().AddMinutes(1), "ops");

        for (int i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => notifier.SendToUserAsync("user", Message, CancellationToken.None));
        }

        CircuitState whileHeld = notifier.State;
        _time.Advance(TimeSpan.FromMinutes(1));
        for (int i = 0; i < 20; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => notifier.SendToUserAsync("user", Message, CancellationToken.None));
        }

        Assert.Equal(CircuitState.Closed, whileHeld);
        Assert.Equal(CircuitState.Open, notifier.State);
        Assert.True(_pushPath.Calls < 40, "after the hold the breaker opened and stopped calling the push path");
    }

    [Fact]
    public async Task Check_HeldOpen_YellowNamingTheOperator_AutomaticAfterTheHold()
    {
        ResilientClientNotifier notifier = CreateSut();
        _held.Override = new PushCircuitOverride(Open: true, _time.GetUtcNow().AddMinutes(2), "ops-1");

        DependencyHealth held = await notifier.CheckAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        DependencyHealth automatic = await notifier.CheckAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Yellow, held.Status);
        Assert.Contains("held by operator ops-1", held.Detail, StringComparison.Ordinal);
        Assert.Equal((HealthStatus.Green, "circuit closed"), (automatic.Status, automatic.Detail));
    }

    private ResilientClientNotifier CreateSut() => new(_pushPath, _time, _held);

    private sealed class HeldCircuit : IPushCircuitOverrides
    {
        public PushCircuitOverride? Override { get; set; }

        public ValueTask<PushCircuitOverride?> CurrentAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Override);
    }

    private sealed class CountingPushPath : IClientNotifier
    {
        public int Calls { get; private set; }

        public bool Fail { get; set; }

        public Task SendToUserAsync(string userId, JobMessage message, CancellationToken cancellationToken)
        {
            Calls++;
            return Fail ? Task.FromException(new InvalidOperationException("push path down")) : Task.CompletedTask;
        }

        public Task SendToConnectionAsync(string connectionId, JobMessage message, CancellationToken cancellationToken) =>
            SendToUserAsync(connectionId, message, cancellationToken);
    }
}
