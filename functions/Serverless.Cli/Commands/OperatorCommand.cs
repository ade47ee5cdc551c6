using System.CommandLine;
using Serverless.Client;
using Serverless.Protocol;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary>
/// <c>operator retry &lt;jobId&gt;</c>: an operator retries a failed job from its failed stage. Needs a token with the
/// operator role (--token, or a development token for --user with that role).
/// </summary>
internal static class OperatorCommand
{
    private const string OperatorRole = "operator";

    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "The failed job to retry." };
        var retry = new Command("retry", "Retry a failed job from the stage that failed; completed stages are not run again.") { jobId };
        retry.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            await using JobClient client = context.CreateClient(OperatorRole);
            JobMessage status = await client.RetryAsOperatorAsync(parse.GetValue(jobId)!, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(status, CliJson.Default.JobMessage);
            }
            else
            {
                context.Console.Ansi.MarkupLineInterpolated($"[green]{status.Status}[/] {status.JobId}: {status.Message}");
            }

            return ExitCodes.Success;
        });
        return new Command("operator", "Operator actions on any user's jobs (needs the operator role).") { retry };
    }
}
