using Serverless.Client;
using Serverless.Protocol;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary>Follows a job to its end: a live progress bar per stage for people, one JSON message per line for scripts.</summary>
internal static class JobFollower
{
    /// <summary>Shows the job's messages after <paramref name="afterSeq"/> and answers the terminal one.</summary>
    public static async Task<JobMessage> FollowAsync(CliContext context, JobClient client, string jobId, long afterSeq, CancellationToken cancellationToken)
    {
        if (context.Json)
        {
            JobMessage? last = null;
            await foreach (JobMessage message in client.WatchAsync(jobId, afterSeq, cancellationToken).ConfigureAwait(false))
            {
                context.WriteJson(message, CliJson.Default.JobMessage);
                last = message;
            }

            return last!;
        }

        return await context.Console.Ansi.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var stages = new StageProgress();
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                JobMessage? last = null;
                await foreach (JobMessage message in client.WatchAsync(jobId, afterSeq, cancellationToken).ConfigureAwait(false))
                {
                    last = message;
                    foreach ((string stage, double percent) in stages.Update(message))
                    {
                        if (!bars.TryGetValue(stage, out ProgressTask? bar))
                        {
                            bars[stage] = bar = progress.AddTask(Markup.Escape(stage), autoStart: true, maxValue: 100);
                        }

                        bar.Value = percent;
                    }

                    if (message.Stage is { } current && message.Message is { } text)
                    {
                        string details = JsonText.DescribeMetadata(message.Metadata) is { } metadata ? $" [blue]{Markup.Escape(metadata)}[/]" : string.Empty;
                        bars[current].Description = $"{Markup.Escape(current)} [grey]{Markup.Escape(text)}[/]{details}";
                    }

                    if (message.Type == MessageTypes.Completed)
                    {
                        foreach (ProgressTask bar in bars.Values)
                        {
                            bar.Value = 100;
                        }
                    }
                }

                foreach (ProgressTask bar in bars.Values)
                {
                    bar.StopTask();
                }

                return last!;
            }).ConfigureAwait(false);
    }

    /// <summary>Prints how the job ended (the result, the error, or the cancellation) and answers the exit code.</summary>
    public static int Report(CliContext context, JobMessage terminal)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        if (context.Json)
        {
            // The terminal message was the last JSON line already.
            return terminal.Type == MessageTypes.Completed ? ExitCodes.Success : ExitCodes.Failed;
        }

        IAnsiConsole ansi = context.Console.Ansi;
        switch (terminal.Type)
        {
            case MessageTypes.Completed:
                ansi.MarkupLineInterpolated($"[green]completed[/] {terminal.JobId} (seq {terminal.Seq})");
                if (terminal.Result is { } result)
                {
                    ansi.WriteLine(ResultText.Summarize(result));
                }

                return ExitCodes.Success;
            case MessageTypes.Cancelled:
                ansi.MarkupLineInterpolated($"[yellow]cancelled[/] {terminal.JobId} (seq {terminal.Seq})");
                return ExitCodes.Failed;
            default:
                ansi.MarkupLineInterpolated($"[red]{terminal.Type}[/] {terminal.JobId}: {terminal.Error?.Code} {terminal.Error?.Message}");
                return ExitCodes.Failed;
        }
    }
}
