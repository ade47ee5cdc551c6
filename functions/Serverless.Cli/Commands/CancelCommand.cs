using System.CommandLine;
using Serverless.Client;
using Serverless.Protocol;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>cancel &lt;jobId&gt;</c>: asks the job to stop at its next progress report.</summary>
internal static class CancelCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "The job to cancel." };
        var command = new Command("cancel", "Cancel a job.") { jobId };
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            await using JobClient client = context.CreateClient();
            JobMessage status = await client.CancelAsync(parse.GetValue(jobId)!, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(status, CliJson.Default.JobMessage);
            }
            else
            {
                context.Console.Ansi.MarkupLineInterpolated($"[yellow]{status.Status}[/] {status.JobId}: {status.Message}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
