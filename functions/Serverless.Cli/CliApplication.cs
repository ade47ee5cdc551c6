using System.CommandLine;
using Serverless.Cli.Commands;
using Serverless.Client;

namespace Serverless.Cli;

/// <summary>The <c>serverless</c> command line: parses, runs one command and turns every failure into an exit code.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("Submit, watch and manage jobs of the Serverless job router, and check the local stack.");
        globals.AddTo(root);
        foreach (Command command in new[]
        {
            TokenCommand.Create(globals, console), SubmitCommand.Create(globals, console), WatchCommand.Create(globals, console),
            StatusCommand.Create(globals, console), ListCommand.Create(globals, console), CancelCommand.Create(globals, console),
            ExportCommand.Create(globals, console), DoctorCommand.Create(globals, console), LoadCommand.Create(globals, console), EventsCommand.Create(globals, console),
            OperatorCommand.Create(globals, console),
            CapacityCommand.Create(globals, console),
        })
        {
            root.Add(command);
        }

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
            {
                await console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync("Run 'serverless --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="action"/> with a <see cref="CliContext"/>, mapping exceptions to exit codes and typed errors.</summary>
    public static void SetCliAction(this Command command, GlobalOptions globals, CliConsole console, Func<CliContext, ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context;
            try
            {
                context = CliContext.From(parse, globals, console);
            }
            catch (UsageException ex)
            {
                await console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            try
            {
                return await action(context, parse, cancellationToken).ConfigureAwait(false);
            }
            catch (UsageException ex)
            {
                context.WriteError(Protocol.JobError.Validation(ex.Message));
                return ExitCodes.Usage;
            }
            catch (JobClientException ex)
            {
                context.WriteError(ex.Error);
                return ExitCodes.For(ex.Error);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync("Interrupted.").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
    }
}
