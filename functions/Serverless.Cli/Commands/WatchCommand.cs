using System.CommandLine;
using Serverless.Client;
using Serverless.Protocol;

namespace Serverless.Cli.Commands;

/// <summary><c>watch &lt;jobId&gt; [--after-seq N]</c>: resumes a job's messages after seq N and follows it to its end.</summary>
internal static class WatchCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "The job to follow." };
        var afterSeq = new Option<long>("--after-seq") { Description = "Show only messages after this seq (the last one you saw); default 0 = all." };
        OptionRange.Require(afterSeq, 0, long.MaxValue, "--after-seq must be 0 or more.");
        var command = new Command("watch", "Follow a job (resuming after --after-seq) until it ends, then print the result.") { jobId, afterSeq };
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            await using JobClient client = context.CreateClient();
            JobMessage terminal = await JobFollower.FollowAsync(context, client, parse.GetValue(jobId)!, parse.GetValue(afterSeq), cancellationToken).ConfigureAwait(false);
            return JobFollower.Report(context, terminal);
        });
        return command;
    }
}
