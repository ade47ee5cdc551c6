using Spectre.Console;

namespace Serverless.Cli;

/// <summary>Where the CLI writes: plain writers for JSON and errors, and a Spectre console for people.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, IAnsiConsole ansi)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public IAnsiConsole Ansi { get; } = ansi;

    public static CliConsole FromSystemConsole() => new(Console.Out, Console.Error, AnsiConsole.Console);

    /// <summary>A console writing plain text (no colours, no live rendering) to the given writers, e.g. for tests.</summary>
    public static CliConsole ForWriters(TextWriter output, TextWriter error) => new(output, error, AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    }));
}
