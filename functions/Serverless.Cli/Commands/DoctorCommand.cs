using System.CommandLine;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>doctor [--storage connection-string]</c>: preflight of settings, host, storage, Durable backend and ports.</summary>
internal static class DoctorCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        Option<string> storage = StorageConnection.CreateOption();
        var command = new Command("doctor", "Check that the local stack is ready; each check green/yellow/red with a fix.") { storage };
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            DoctorReport report = await new Doctor(context, parse.GetValue(storage)!).RunAsync(cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(report, CliJson.Default.DoctorReport);
            }
            else
            {
                var table = new Table().AddColumns("check", "", "detail", "fix");
                foreach (DoctorCheck check in report.Checks)
                {
                    table.AddRow(
                        new Text(check.Name),
                        new Markup($"[{check.Status}]●[/] {check.Status}"),
                        new Text(check.Detail),
                        new Text(check.Fix ?? string.Empty));
                }

                context.Console.Ansi.Write(table);
            }

            return report.Ok ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
