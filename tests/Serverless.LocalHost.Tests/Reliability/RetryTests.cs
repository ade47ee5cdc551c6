using System.Globalization;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

[Collection(StackCollection.Name)]
public sealed class RetryTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Simulate_FailTwiceThenSucceed_CompletesWithBackoffVisibleInEvents()
    {
        await using HubClient client = await stack.Host.ConnectAsync("retry-user");
        JobMessage accepted = await client.SubmitAsync("retry-1", "simulate", new { durationMs = 100, updates = 4, failTimes = 2 });

        IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(60));

        Assert.Equal(MessageTypes.Completed, messages[^1].Type);
        JobMessage[] starts = [.. messages.Where(m => m.Metadata is not null)];
        Assert.Equal(["1", "2", "3"], starts.Select(m => m.Metadata!.Value.GetProperty("attempt").GetString()));

        // Retry waits are 2 s then 4 s (first interval 2 s, coefficient 2). Durable timers on the Azure Storage
        // backend are queue messages whose visibility delay is whole seconds, rounded down: up to 1 s early.
        TimeSpan firstGap = starts[1].At!.Value - starts[0].At!.Value;
        TimeSpan secondGap = starts[2].At!.Value - starts[1].At!.Value;
        Assert.True(firstGap >= TimeSpan.FromSeconds(1), firstGap.ToString("c", CultureInfo.InvariantCulture));
        Assert.True(secondGap >= TimeSpan.FromSeconds(3), secondGap.ToString("c", CultureInfo.InvariantCulture));
        Assert.True(secondGap > firstGap);
    }

    [Fact]
    public async Task Simulate_AlwaysFail_EndsFailedWithHandlerFailedAfterMaxAttempts()
    {
        await using HubClient client = await stack.Host.ConnectAsync("retry-fail-user");
        JobMessage accepted = await client.SubmitAsync("retry-2", "simulate", new { durationMs = 50, updates = 2, alwaysFail = true });

        IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(60));

        JobMessage failed = messages[^1];
        Assert.Equal(MessageTypes.Failed, failed.Type);
        Assert.Equal(ErrorCodes.HandlerFailed, failed.Error!.Code);
        Assert.Contains("after 3 attempt(s)", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(3, messages.Count(m => m.Metadata is not null));
    }
}
