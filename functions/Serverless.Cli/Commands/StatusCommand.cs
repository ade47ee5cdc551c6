using System.CommandLine;
using System.Globalization;
using Serverless.Client;
using Serverless.Protocol;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>status &lt;jobId&gt;</c>: the job's state; exits 1 when it failed or was cancelled.</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "The job to show." };
        var command = new Command("status", "Show a job's state.") { jobId };
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            await using JobClient client = context.CreateClient();
            JobView job = await client.GetStatusAsync(parse.GetValue(jobId)!, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(job, CliJson.Default.JobView);
            }
            else
            {
                var grid = new Grid().AddColumn().AddColumn();
                void Row(string name, string? value) => grid.AddRow(new Text(name), new Text(value ?? "-"));
                Row("job", job.JobId);
                Row("request", job.RequestId);
                Row("action", job.Action);
                Row("status", job.Status);
                Row("progress", job.Percent.ToString("0.##", CultureInfo.InvariantCulture) + " %");
                Row("stage", job.Stage);
                Row("metadata", JsonText.DescribeMetadata(job.Metadata));
                Row("last seq", job.LastSeq.ToString(CultureInfo.InvariantCulture));
                Row("created", job.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
                Row("updated", job.UpdatedAt.ToString("u", CultureInfo.InvariantCulture));
                Row("completed", job.CompletedAt?.ToString("u", CultureInfo.InvariantCulture));
                if (job.Error is { } error)
                {
                    Row("error", $"{error.Code}: {error.Message}");
                }

                context.Console.Ansi.Write(grid);
                if (job.Result is { } result)
                {
                    context.Console.Ansi.WriteLine(ResultText.Summarize(result));
                }
            }

            return job.Status is JobStatus.Failed or JobStatus.Cancelled ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }
}
