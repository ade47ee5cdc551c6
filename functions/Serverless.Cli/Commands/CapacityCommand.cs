using System.CommandLine;
using System.Globalization;
using Serverless.Cli.Capacity;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>capacity --jobs-per-second N [--updates-per-second M] [--clients C]</c>: the resources a deployment needs for a load.</summary>
internal static class CapacityCommand
{
    private const double MaxRate = 1_000_000;

    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var jobs = new Option<double>("--jobs-per-second") { Description = "Async jobs submitted per second (0–1,000,000).", Required = true };
        var updates = new Option<double>("--updates-per-second") { Description = "Progress messages per second over all running jobs (0–1,000,000; default 0)." };
        var clients = new Option<int>("--clients") { Description = "Concurrent client connections (0–100,000,000; default 0)." };
        OptionRange.Require(jobs, 0, MaxRate, "--jobs-per-second must be a number from 0 to 1,000,000.");
        OptionRange.Require(updates, 0, MaxRate, "--updates-per-second must be a number from 0 to 1,000,000.");
        OptionRange.Require(clients, 0, 100_000_000, "--clients must be from 0 to 100,000,000.");
        var command = new Command("capacity", "Print the storage accounts, partitions, SignalR units and Event Hubs throughput units a load needs, and the limit that binds first.")
        {
            jobs, updates, clients,
        };
        command.SetCliAction(globals, console, (context, parse, _) =>
        {
            CapacityPlan plan = CapacityModel.Plan(new CapacityDemand(parse.GetValue(jobs), parse.GetValue(updates), parse.GetValue(clients)));
            if (context.Json)
            {
                context.WriteJson(plan, CliJson.Default.CapacityPlan);
            }
            else
            {
                Print(context.Console.Ansi, plan);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static void Print(IAnsiConsole ansi, CapacityPlan plan)
    {
        var resources = new Table().AddColumns("resource", "needed", "from");
        resources.AddRow("storage accounts (one task hub each)", Count(plan.StorageAccounts), $"{Number(plan.StorageRequestsPerSecond)} storage requests/s");
        resources.AddRow("Durable partitions per task hub", Count(plan.DurablePartitionsPerTaskHub), "control-queue messages/s per account");
        resources.AddRow("EventStream:OutboxShards per account", Count(plan.OutboxShardsPerAccount), $"{Number(plan.EventsPerSecond)} events/s");
        resources.AddRow("SignalR Service units", Count(plan.SignalRUnits), $"{Count(plan.Demand.Clients)} connections, {Number(plan.PushesPerSecond)} messages/s");
        resources.AddRow("Event Hubs throughput units", Count(plan.EventHubsThroughputUnits), $"{Number(plan.EventsPerSecond)} events/s");
        ansi.Write(resources);

        CapacityLimit binding = plan.BindingLimit;
        ansi.WriteLine($"binding limit: {binding.Name} at {Number(binding.Utilization * 100)} % of one deployment; past it: {binding.HowToGoPast}");
        ansi.WriteLine($"storage transactions per month: {Number(plan.MonthlyStorageTransactions)}");
        if (plan.SignalRBilledMessagesPerDay > 0)
        {
            ansi.WriteLine($"SignalR messages per day beyond the units' included 1,000,000 each (billed): {Number(plan.SignalRBilledMessagesPerDay)}");
        }
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(value >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture);
}
