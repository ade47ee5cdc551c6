using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>load --clients N --jobs M --action A [--payload json]</c>: success rate and ack/completion percentiles.</summary>
internal static class LoadCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var clients = new Option<int>("--clients") { Description = "Concurrent clients, each with its own connection (1–500).", DefaultValueFactory = _ => 10 };
        var jobs = new Option<int>("--jobs") { Description = "Jobs per client, run one after the other (1–10000).", DefaultValueFactory = _ => 10 };
        var action = new Option<string>("--action") { Description = "The action every job runs.", DefaultValueFactory = _ => "echo" };
        var payload = new Option<string?>("--payload") { Description = "The payload of every job: inline JSON or @file." };
        var timeout = new Option<int>("--timeout-seconds") { Description = "Give up on one job after this long (default 120).", DefaultValueFactory = _ => 120 };
        OptionRange.Require(clients, 1, 500, "--clients must be from 1 to 500.");
        OptionRange.Require(jobs, 1, 10_000, "--jobs must be from 1 to 10000.");
        OptionRange.Require(timeout, 1, 3600, "--timeout-seconds must be from 1 to 3600.");
        var command = new Command("load", "Run N clients × M jobs and report success rate and latency percentiles.") { clients, jobs, action, payload, timeout };
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            var runner = new LoadRunner(
                context,
                parse.GetValue(action)!,
                await JsonText.ReadPayloadAsync(parse.GetValue(payload), cancellationToken).ConfigureAwait(false),
                parse.GetValue(clients),
                parse.GetValue(jobs),
                TimeSpan.FromSeconds(parse.GetValue(timeout)));
            LoadReport report;
            if (context.Json)
            {
                report = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
                context.WriteJson(report, CliJson.Default.LoadReport);
            }
            else
            {
                report = await context.Console.Ansi.Progress().StartAsync(async progress =>
                {
                    ProgressTask bar = progress.AddTask("jobs", maxValue: runner.Total);
                    Task<LoadReport> running = runner.RunAsync(cancellationToken);
                    while (!running.IsCompleted)
                    {
                        bar.Value = runner.Finished;
                        await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(200), context.TimeProvider, cancellationToken)).ConfigureAwait(false);
                    }

                    bar.Value = runner.Finished;
                    return await running.ConfigureAwait(false);
                }).ConfigureAwait(false);
                Print(context.Console.Ansi, report);
            }

            return report.Failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static void Print(IAnsiConsole ansi, LoadReport report)
    {
        string colour = report.Failed == 0 ? "green" : "red";
        ansi.MarkupLine(CultureInfo.InvariantCulture, $"[{colour}]{report.SuccessRate:0.##} % success[/] ({report.Succeeded}/{report.Total} {Markup.Escape(report.Action)} jobs, {report.Clients} clients, {report.ElapsedMs / 1000:0.0} s)");
        var table = new Table().AddColumns("latency (ms)", "p50", "p95", "p99", "max");
        foreach ((string name, LatencySummary latency) in new[] { ("ack", report.AckMs), ("completion", report.CompletionMs) })
        {
            table.AddRow(name, Format(latency.P50), Format(latency.P95), Format(latency.P99), Format(latency.Max));
        }

        ansi.Write(table);
        foreach ((string code, int count) in report.Errors)
        {
            ansi.MarkupLineInterpolated($"[red]{code}[/]: {count}");
        }
    }

    private static string Format(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
