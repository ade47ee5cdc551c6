using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Serverless.Testing;

/// <summary>
/// The Functions app in the real Azure Functions host, as <c>func start</c> runs it: <c>func</c> when it is on PATH,
/// else the host built from source in <c>../shared/functions-host</c>. Settings are the sample's, overridden per
/// instance; keys are known in advance (a secrets folder of its own), so admin calls and the upstream URL can carry them.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    /// <summary>The master key (admin API) every instance is given.</summary>
    public const string MasterKey = "test-master-key-0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>The default function key every instance is given (function-level HTTP triggers).</summary>
    public const string FunctionKey = "test-function-key-0123456789abcdefghijklmnopqrstuvwxy";

    private readonly Dictionary<string, string?> _environment;
    private readonly string _secrets;
    private ChildProcess _process;

    private FunctionsHost(ChildProcess process, int port, Dictionary<string, string?> environment, string secrets)
    {
        _process = process;
        Port = port;
        _environment = environment;
        _secrets = secrets;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public ChildProcess Process => _process;

    /// <summary>Starts the app on <paramref name="port"/> (0 = a free one) and waits until its HTTP API answers.</summary>
    public static async Task<FunctionsHost> StartAsync(IReadOnlyDictionary<string, string?> settings, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(settings);
        port = port == 0 ? FreePort.Next() : port;
        string secrets = Directory.CreateTempSubdirectory("serverless-functions-secrets-").FullName;
        WriteSecrets(secrets, port);

        Dictionary<string, string?> environment = SampleValues();
        foreach ((string key, string? value) in settings)
        {
            environment[key] = value;
        }

        environment["FUNCTIONS_SECRETS_PATH"] = secrets;
        environment["AzureWebJobsSecretStorageType"] = "files";
        var host = new FunctionsHost(Launch(port, environment), port, environment, secrets);
        try
        {
            await AppReadiness.WaitAnsweringAsync(host.BaseAddress, host._process, TimeSpan.FromMinutes(3)).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return host;
    }

    /// <summary>SIGKILL of the host and its worker: no shutdown code runs, as in a crash.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>Starts the app again on the same port with the same settings (after <see cref="KillAsync"/>).</summary>
    public async Task RestartAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        _process = Launch(Port, _environment);
        await AppReadiness.WaitAnsweringAsync(BaseAddress, _process, TimeSpan.FromMinutes(3)).ConfigureAwait(false);
    }

    /// <summary>Runs a non-HTTP function now (e.g. a timer) through the host's admin API, as the portal's "Test/Run" does.</summary>
    public async Task RunFunctionAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/functions/{name}")
        {
            Content = new StringContent("{\"input\":\"\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-functions-key", MasterKey);
        HttpResponseMessage response = await http.SendAsync(request).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"admin/functions/{name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }

    /// <summary>Whether the host has the function disabled (<c>AzureWebJobs.{name}.Disabled</c>), from its admin API.</summary>
    public async Task<bool> IsDisabledAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"admin/functions/{name}");
        request.Headers.Add("x-functions-key", MasterKey);
        HttpResponseMessage response = await http.SendAsync(request).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"admin/functions/{name} answered {(int)response.StatusCode}: {body}");
        }

        using var metadata = System.Text.Json.JsonDocument.Parse(body);
        return metadata.RootElement.GetProperty("isDisabled").GetBoolean();
    }

    public async ValueTask DisposeAsync()
    {
        // The host before storage: stopped the other way round, its shutdown waits on storage.
        await _process.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_secrets, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static ChildProcess Launch(int port, Dictionary<string, string?> environment)
    {
        string app = RepositoryLayout.FunctionsAppOutput;
        if (!File.Exists(Path.Combine(app, "functions.metadata")))
        {
            throw new InvalidOperationException($"The Functions app is not built: no functions.metadata in {app}. Build Serverless.sln ({RepositoryLayout.Configuration}).");
        }

        string portText = port.ToString(CultureInfo.InvariantCulture);
        if (FindOnPath("func") is { } func)
        {
            return ChildProcess.Start("Functions host (func)", func, ["host", "start", "--port", portText], environment, workingDirectory: app);
        }

        string script = Path.Combine(RepositoryLayout.Shared, "functions-host", "run.sh");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"No Azure Functions host: 'func' (Azure Functions Core Tools) is not on PATH and {script} does not exist.");
        }

        return ChildProcess.Start("Functions host", "bash", [script, app, portText], environment);
    }

    private static Dictionary<string, string?> SampleValues()
    {
        using JsonDocument sample = JsonDocument.Parse(File.ReadAllText(RepositoryLayout.SampleSettings));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => (string?)p.Value.GetString());
    }

    private static void WriteSecrets(string folder, int port)
    {
        var secrets = new
        {
            masterKey = new { name = "master", value = MasterKey, encrypted = false },
            functionKeys = new[] { new { name = "default", value = FunctionKey, encrypted = false } },
            systemKeys = Array.Empty<object>(),
            hostName = $"127.0.0.1:{port}",
            instanceId = Guid.NewGuid().ToString("N"),
            source = "runtime",
            decryptionKeyId = "",
        };
        File.WriteAllText(Path.Combine(folder, "host.json"), JsonSerializer.Serialize(secrets));
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
