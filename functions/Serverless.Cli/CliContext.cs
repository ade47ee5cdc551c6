using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Serverless.Client;
using Serverless.Protocol;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary>What a command runs with: the global settings, the console, and a way to get a connected client.</summary>
internal sealed class CliContext(CliConsole console, Uri baseUrl, string? explicitToken, string user, bool json, TimeProvider timeProvider)
{
    private string? _token = explicitToken;

    public CliConsole Console { get; } = console;

    public Uri BaseUrl { get; } = baseUrl;

    public string User { get; } = user;

    public bool Json { get; } = json;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public bool HasExplicitToken { get; } = explicitToken is not null;

    public static CliContext From(ParseResult parse, GlobalOptions globals, CliConsole console)
    {
        string url = parse.GetValue(globals.Url)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--url must be an absolute http(s) URL, not '{url}'.");
        }

        return new CliContext(console, baseUrl, parse.GetValue(globals.Token), parse.GetValue(globals.User)!, parse.GetValue(globals.Json), TimeProvider.System);
    }

    /// <summary>The --token, or a development token for --user (with <paramref name="role"/> when set) when the host issues them.</summary>
    public async ValueTask<string> GetTokenAsync(string? role, CancellationToken cancellationToken)
    {
        if (_token is { } known)
        {
            return known;
        }

        try
        {
            DevelopmentToken issued = await DevelopmentTokens.RequestAsync(BaseUrl, User, tenant: null, role, cancellationToken).ConfigureAwait(false);
            return _token = issued.Token;
        }
        catch (JobClientException ex) when (ex.Error.Code == ErrorCodes.NotFound)
        {
            throw new JobClientException(new JobError(
                ErrorCodes.Unauthorized,
                "No token: pass --token (or set SERVERLESS_TOKEN); this host issues no development tokens."), ex);
        }
    }

    /// <summary>
    /// A client that asks the host where to connect (<c>/api/negotiate</c>), so one command line serves the local host and
    /// Azure; with <paramref name="role"/>, a development token it asks for carries that role (e.g. <c>operator</c>).
    /// </summary>
    public JobClient CreateClient(string? role = null) => new(new JobClientOptions
    {
        BaseUrl = BaseUrl,
        UseNegotiate = true,
        TokenProvider = cancellationToken => GetTokenAsync(role, cancellationToken),
        TimeProvider = TimeProvider,
    });

    public void WriteJson<T>(T value, JsonTypeInfo<T> typeInfo) => Console.Out.WriteLine(JsonSerializer.Serialize(value, typeInfo));

    /// <summary>A typed error: one JSON object in --json mode, a red line on stderr otherwise.</summary>
    public void WriteError(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Json)
        {
            WriteJson(JobMessage.ErrorReply(null, error), CliJson.Default.JobMessage);
        }
        else
        {
            Console.Ansi.MarkupLineInterpolated($"[red]error {error.Code}[/]: {error.Message}");
        }
    }
}
