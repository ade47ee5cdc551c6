using System.CommandLine;
using System.Globalization;
using Serverless.Client;
using Serverless.Protocol;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary>
/// <c>operator cancel|retry|pause|resume|push-circuit|jobs</c>: the operators' controls. The token must carry the
/// <c>operator</c> role; without --token a development token is asked for with it.
/// </summary>
internal static class OperatorCommand
{
    private const string OperatorRole = "operator";

    public static Command Create(GlobalOptions globals, CliConsole console) =>
        new("operator", "Operators' controls: cancel or retry any job, pause or resume an action, hold the push circuit, list every user's jobs.")
        {
            Cancel(globals, console), Retry(globals, console), Intake("pause", paused: true, globals, console), Intake("resume", paused: false, globals, console),
            PushCircuit(globals, console), Jobs(globals, console),
        };

    private static Command Cancel(GlobalOptions globals, CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "Any user's job." };
        var command = new Command("cancel", "Cancel any user's job; its owner gets 'cancelled' naming you.") { jobId };
        SetOperatorAction(command, globals, console, async (client, context, parse, cancellationToken) =>
        {
            JobMessage status = await client.CancelAnyJobAsync(parse.GetValue(jobId)!, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(status, CliJson.Default.JobMessage);
            }
            else
            {
                context.Console.Ansi.MarkupLineInterpolated($"[yellow]{status.Status}[/] {status.JobId}: {status.Message}");
            }
        });
        return command;
    }

    private static Command Retry(GlobalOptions globals, CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "The failed job to retry." };
        var command = new Command("retry", "Retry a failed job from the stage that failed; completed stages are not run again.") { jobId };
        SetOperatorAction(command, globals, console, async (client, context, parse, cancellationToken) =>
        {
            JobMessage status = await client.RetryAsOperatorAsync(parse.GetValue(jobId)!, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(status, CliJson.Default.JobMessage);
            }
            else
            {
                context.Console.Ansi.MarkupLineInterpolated($"[green]{status.Status}[/] {status.JobId}: {status.Message}");
            }
        });
        return command;
    }

    private static Command Intake(string name, bool paused, GlobalOptions globals, CliConsole console)
    {
        var action = new Argument<string>("action") { Description = "A registered action, e.g. generate_report." };
        var command = new Command(name, paused
            ? "Pause intake of an action on every instance: new submits get SERVICE_UNAVAILABLE, running jobs finish."
            : "Resume intake of a paused action.") { action };
        SetOperatorAction(command, globals, console, async (client, context, parse, cancellationToken) =>
            WriteControls(context, await client.SetIntakeAsync(parse.GetValue(action)!, paused, cancellationToken).ConfigureAwait(false)));
        return command;
    }

    private static Command PushCircuit(GlobalOptions globals, CliConsole console)
    {
        var state = new Argument<string>("state") { Description = "open (pushes fail fast), closed (pushes ignore the breaker) or automatic." };
        state.AcceptOnlyFromAmong("open", "closed", "automatic");
        var minutes = new Option<int?>("--minutes") { Description = "How long to hold it (open and closed; the service bounds it)." };
        var command = new Command("push-circuit", "Hold the push circuit open or closed for some minutes, or hand it back to the breaker.") { state, minutes };
        SetOperatorAction(command, globals, console, async (client, context, parse, cancellationToken) =>
        {
            string held = parse.GetValue(state)!;
            if (held != "automatic" && parse.GetValue(minutes) is null)
            {
                throw new UsageException("--minutes is required to hold the circuit open or closed.");
            }

            var request = new PushCircuitRequest(held, parse.GetValue(minutes));
            WriteControls(context, await client.SetPushCircuitAsync(request, cancellationToken).ConfigureAwait(false));
        });
        return command;
    }

    private static Command Jobs(GlobalOptions globals, CliConsole console)
    {
        var owner = new Option<string?>("--owner") { Description = "Only this owner's jobs (the owner id the list shows; --user is who you are)." };
        var action = new Option<string?>("--action") { Description = "Only jobs of this action." };
        var status = new Option<string?>("--status") { Description = "Only jobs in this status." };
        status.AcceptOnlyFromAmong([.. JobStatus.All]);
        var since = new Option<string?>("--since") { Description = "Only jobs created since: a time (ISO 8601) or an age such as 30m, 2h, 1d." };
        var limit = new Option<int?>("--limit") { Description = "At most this many jobs (1–100; default 20)." };
        var command = new Command("jobs", "List every user's jobs, newest first.") { owner, action, status, since, limit };
        SetOperatorAction(command, globals, console, async (client, context, parse, cancellationToken) =>
        {
            var filter = new OperatorJobFilter
            {
                User = parse.GetValue(owner),
                Action = parse.GetValue(action),
                Status = parse.GetValue(status),
                From = Since(parse.GetValue(since), context.TimeProvider),
                Limit = parse.GetValue(limit),
            };
            OperatorJobList list = await client.ListAnyJobsAsync(filter, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(list, CliJson.Default.OperatorJobList);
                return;
            }

            var table = new Table().AddColumns("job", "owner", "action", "status", "progress", "created");
            foreach (OperatorJobView row in list.Jobs)
            {
                table.AddRow(
                    Markup.Escape(row.Job.JobId),
                    Markup.Escape(row.Owner),
                    Markup.Escape(row.Job.Action),
                    Markup.Escape(row.Job.Status),
                    row.Job.Percent.ToString("0.#", CultureInfo.InvariantCulture) + " %",
                    row.Job.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            }

            context.Console.Ansi.Write(table);
            if (!list.Complete)
            {
                context.Console.Ansi.MarkupLine("[yellow]The scan stopped at its bound: older matches may exist; narrow with --user or --since.[/]");
            }
        });
        return command;
    }

    /// <summary>--since as a time: ISO 8601, or an age (<c>30m</c>, <c>2h</c>, <c>1d</c>) before now.</summary>
    internal static DateTimeOffset? Since(string? text, TimeProvider time)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > 1 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int amount))
        {
            TimeSpan? age = text[^1] switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } before)
            {
                return time.GetUtcNow() - before;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
            ? at
            : throw new UsageException($"--since must be an ISO 8601 time or an age such as 30m, 2h or 1d, not '{text}'.");
    }

    private static void WriteControls(CliContext context, OperatorControlsView controls)
    {
        if (context.Json)
        {
            context.WriteJson(controls, CliJson.Default.OperatorControlsView);
            return;
        }

        string paused = controls.PausedActions.Count == 0 ? "none" : string.Join(", ", controls.PausedActions);
        string circuit = controls.PushCircuit is { } held
            ? $"held {held.State} by {held.Operator} until {held.Until.ToString("u", CultureInfo.InvariantCulture)}"
            : "automatic";
        context.Console.Ansi.MarkupLineInterpolated($"paused actions: [yellow]{paused}[/]; push circuit: [yellow]{circuit}[/]");
    }

    private static void SetOperatorAction(
        Command command, GlobalOptions globals, CliConsole console, Func<JobClient, CliContext, ParseResult, CancellationToken, Task> action) =>
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            await using JobClient client = context.CreateClient(OperatorRole);
            await action(client, context, parse, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
}
