using System.CommandLine;
using Serverless.Client;

namespace Serverless.Cli.Commands;

/// <summary><c>token --user U [--tenant T]</c>: a development token from the host (<c>POST /api/dev/token</c>).</summary>
internal static class TokenCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var tenant = new Option<string?>("--tenant") { Description = "The tenant the token names." };
        var command = new Command("token", "Get a development token for --user (only from hosts that issue them).") { tenant };
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            DevelopmentToken token = await DevelopmentTokens.RequestAsync(context.BaseUrl, context.User, parse.GetValue(tenant), role: null, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(token, CliJson.Default.DevelopmentToken);
            }
            else
            {
                // The bare token, so that `export SERVERLESS_TOKEN=$(serverless token --user me)` works.
                await context.Console.Out.WriteLineAsync(token.Token).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
