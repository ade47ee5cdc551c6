using System.CommandLine;

namespace Serverless.Cli;

/// <summary>The options every command accepts.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public Option<string> Url { get; } = new("--url")
    {
        Description = $"The service's base URL (env SERVERLESS_URL; default {DefaultUrl}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SERVERLESS_URL") is { Length: > 0 } url ? url : DefaultUrl,
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "Bearer token (env SERVERLESS_TOKEN). Without one, a development token is requested for --user.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SERVERLESS_TOKEN") is { Length: > 0 } token ? token : null,
        Recursive = true,
    };

    public Option<string> User { get; } = new("--user")
    {
        Description = "The user a development token is requested for when no --token is given (env SERVERLESS_USER; default: your login name).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SERVERLESS_USER") is { Length: > 0 } user ? user : Environment.UserName,
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable output: JSON only, no colours or progress bars.",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Add(Url);
        command.Add(Token);
        command.Add(User);
        command.Add(Json);
    }
}
