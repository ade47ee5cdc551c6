using Serverless.Cli;

namespace Serverless.Testing;

/// <summary>One in-process run of the <c>serverless</c> CLI through its entry point, with what it printed.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static async Task<CliRun> StartAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        int exitCode = await CliApplication.RunAsync(args, CliConsole.ForWriters(output, error), timeout.Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
