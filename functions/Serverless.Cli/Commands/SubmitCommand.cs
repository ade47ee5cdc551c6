using System.CommandLine;
using Serverless.Client;
using Serverless.Protocol;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>submit &lt;action&gt; [--payload json|@file] [--request-id id] [--priority p] [--watch]</c>.</summary>
internal static class SubmitCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var action = new Argument<string>("action") { Description = "The handler to run, e.g. echo or generate_report." };
        var payload = new Option<string?>("--payload") { Description = "The payload: inline JSON, or @path to read it from a file." };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key (default: a new one); resubmitting it never starts a second job." };
        var priority = new Option<string?>("--priority") { Description = "low, normal (default) or high." };
        priority.AcceptOnlyFromAmong(JobPriority.Low, JobPriority.Normal, JobPriority.High);
        var watch = new Option<bool>("--watch") { Description = "Follow an async job to its end with a progress bar per stage, then print the result." };
        var command = new Command("submit", "Submit a job.") { action, payload, requestId, priority, watch };
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            var request = new JobRequest
            {
                RequestId = parse.GetValue(requestId),
                Action = parse.GetValue(action),
                Payload = await JsonText.ReadPayloadAsync(parse.GetValue(payload), cancellationToken).ConfigureAwait(false),
                Priority = parse.GetValue(priority),
            };

            await using JobClient client = context.CreateClient();
            JobMessage reply = await client.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
            PrintReply(context, reply);
            if (reply.Type != MessageTypes.Accepted || !parse.GetValue(watch))
            {
                return ExitCodes.Success;
            }

            JobMessage terminal = await JobFollower.FollowAsync(context, client, reply.JobId!, afterSeq: 0, cancellationToken).ConfigureAwait(false);
            return JobFollower.Report(context, terminal);
        });
        return command;
    }

    private static void PrintReply(CliContext context, JobMessage reply)
    {
        if (context.Json)
        {
            context.WriteJson(reply, CliJson.Default.JobMessage);
        }
        else if (reply.Type == MessageTypes.Accepted)
        {
            string again = reply.Duplicate == true ? " (already submitted with this request id)" : string.Empty;
            context.Console.Ansi.MarkupLineInterpolated($"[green]accepted[/] job [bold]{reply.JobId}[/]{again}; follow it with: serverless watch {reply.JobId}");
        }
        else
        {
            context.Console.Ansi.MarkupLineInterpolated($"[green]result[/] ({reply.Mode})");
            if (reply.Data is { } data)
            {
                context.Console.Ansi.WriteLine(ResultText.Summarize(data));
            }
        }
    }
}
