using System.Text.Json;
using Serverless.Testing;

namespace Serverless.Client.Tests.Capacity;

/// <summary><c>serverless capacity</c> run through the CLI's entry point: it needs no host, only its arguments.</summary>
public sealed class CapacityCommandTests
{
    [Fact]
    public async Task Capacity_ForPeople_PrintsResourcesBindingLimitAndMonthlyTransactions()
    {
        CliRun run = await CliRun.StartAsync("capacity", "--jobs-per-second", "600", "--updates-per-second", "2000", "--clients", "250000");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"storage accounts \(one task hub\s+│ 2 ", run.Output);
        Assert.Matches(@"SignalR Service units\s+│ 250 ", run.Output);
        Assert.Matches(@"Event Hubs throughput units\s+│ 8 ", run.Output);
        Assert.Contains("binding limit: SignalR connections (100 units × 1,000) at 250 % of one", run.Output, StringComparison.Ordinal);
        Assert.Contains("storage transactions per month: 59,024,505,600", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CapacityJson_OneJobPerSecond_PrintsThePlan()
    {
        CliRun run = await CliRun.StartAsync("capacity", "--jobs-per-second", "1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var plan = JsonDocument.Parse(run.Output);
        Assert.Equal(34.8, plan.RootElement.GetProperty("storageRequestsPerSecond").GetDouble(), 6);
        Assert.Equal(1, plan.RootElement.GetProperty("storageAccounts").GetInt32());
        Assert.Equal(1, plan.RootElement.GetProperty("signalRUnits").GetInt32());
        Assert.Equal(6, plan.RootElement.GetProperty("limits").GetArrayLength());
    }

    [Theory]
    [InlineData("Option '--jobs-per-second' is required.", "capacity")]
    [InlineData("--jobs-per-second must be a number from 0 to 1,000,000.", "capacity", "--jobs-per-second", "-1")]
    [InlineData("--jobs-per-second must be a number from 0 to 1,000,000.", "capacity", "--jobs-per-second", "NaN")]
    [InlineData("Cannot parse argument 'many'", "capacity", "--jobs-per-second", "many")]
    [InlineData("--updates-per-second must be a number from 0 to 1,000,000.", "capacity", "--jobs-per-second", "1", "--updates-per-second", "1e7")]
    [InlineData("--clients must be from 0 to 100,000,000.", "capacity", "--jobs-per-second", "1", "--clients", "-3")]
    [InlineData("Cannot parse argument 'abc' for option '--limit'", "list", "--limit", "abc")]
    public async Task Capacity_BadArguments_UsageErrorAndExitTwo(string error, params string[] args)
    {
        CliRun run = await CliRun.StartAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }
}
