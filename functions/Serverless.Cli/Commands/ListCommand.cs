using System.CommandLine;
using System.Globalization;
using Serverless.Client;
using Serverless.Protocol;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>list [--status s] [--limit n]</c>: the caller's own jobs, newest first.</summary>
internal static class ListCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var status = new Option<string?>("--status") { Description = "Only jobs in this status." };
        status.AcceptOnlyFromAmong([.. JobStatus.All]);
        var limit = new Option<int>("--limit") { Description = "At most this many jobs (1–100).", DefaultValueFactory = _ => 20 };
        OptionRange.Require(limit, 1, 100, "--limit must be from 1 to 100.");
        var command = new Command("list", "List your jobs, newest first.") { status, limit };
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            await using JobClient client = context.CreateClient();
            IReadOnlyList<JobView> jobs = await client.ListAsync(parse.GetValue(status), parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson([.. jobs], CliJson.Default.JobViewArray);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("job", "action", "status", "progress", "stage", "created");
            foreach (JobView job in jobs)
            {
                table.AddRow(
                    Markup.Escape(job.JobId),
                    Markup.Escape(job.Action),
                    Markup.Escape(job.Status),
                    job.Percent.ToString("0.#", CultureInfo.InvariantCulture) + " %",
                    Markup.Escape(job.Stage ?? "-"),
                    job.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            }

            context.Console.Ansi.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
