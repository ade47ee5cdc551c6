using System.Globalization;
using Microsoft.Extensions.Options;
using Serverless.Client;
using Serverless.Core.Security;
using Serverless.LocalHost.Storage;

namespace Serverless.Testing;

/// <summary>
/// The whole Azure path on one machine, on free ports: Azurite (empty), the Azure SignalR Service emulator with its
/// upstream pointed at the app, and the Functions app in the real Functions host. Clients go the way they do in
/// Azure: <c>POST /api/negotiate</c> on the app, then the service URL it returns.
/// </summary>
public sealed class AzurePathStack : IAsyncDisposable
{
    /// <summary>The callers' token key the app is given (tests sign their users' tokens with it).</summary>
    public const string SigningKey = "azure-path-test-signing-key-0123456789abcdef";

    private readonly TokenService _tokens;

    private AzurePathStack(AzuriteProcess azurite, SignalREmulator emulator, FunctionsHost host, string taskHub, TokenService tokens)
    {
        Azurite = azurite;
        Emulator = emulator;
        Host = host;
        TaskHub = taskHub;
        _tokens = tokens;
    }

    public AzuriteProcess Azurite { get; }

    public SignalREmulator Emulator { get; }

    public FunctionsHost Host { get; }

    public string TaskHub { get; }

    public Uri BaseAddress => Host.BaseAddress;

    /// <summary>
    /// Starts the stack; <paramref name="settings"/> override the app settings (the sample's, then the stack's).
    /// <paramref name="appStorage"/> maps Azurite's connection string to the one the app is given (both
    /// <c>AzureWebJobsStorage</c> and <c>Storage__ConnectionString</c>), e.g. through an <see cref="OutageProxy"/>;
    /// <see cref="Azurite"/> stays direct for the test's own checks.
    /// </summary>
    public static async Task<AzurePathStack> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Func<string, string>? appStorage = null)
    {
        string package = AzuriteProcess.FindPackage(AppContext.BaseDirectory, RepositoryLayout.Root)
            ?? throw new InvalidOperationException("The Azure-path tests need Azurite from node_modules: run 'npm ci' in the repository root (Node 20).");
        AzuriteProcess azurite = await AzuriteProcess.StartAsync(package).ConfigureAwait(false);
        SignalREmulator? emulator = null;
        try
        {
            int hostPort = FreePort.Next();
            emulator = await SignalREmulator.StartAsync(UpstreamTemplate(hostPort)).ConfigureAwait(false);
            string taskHub = "azpath" + Guid.NewGuid().ToString("N")[..10];
            string storage = appStorage is null ? azurite.ConnectionString : appStorage(azurite.ConnectionString);
            Dictionary<string, string?> appSettings = AppSettings(storage, emulator.ConnectionString, taskHub);
            foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
            {
                appSettings[key] = value;
            }

            FunctionsHost host = await FunctionsHost.StartAsync(appSettings, hostPort).ConfigureAwait(false);
            var tokens = new TokenService(Options.Create(new AuthOptions { SigningKey = SigningKey }), TimeProvider.System);
            return new AzurePathStack(azurite, emulator, host, taskHub, tokens);
        }
        catch
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync().ConfigureAwait(false);
            }

            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The app settings of a stack instance (before overrides): storage, SignalR, callers' tokens, test limits.</summary>
    public static Dictionary<string, string?> AppSettings(string storage, string signalR, string taskHub) => new()
    {
        ["AzureWebJobsStorage"] = storage,
        ["Storage__ConnectionString"] = storage,
        ["SignalR__ConnectionString"] = signalR,
        ["Auth__SigningKey"] = SigningKey,
        ["AzureFunctionsJobHost__extensions__durableTask__hubName"] = taskHub,
        ["Limits__RequestsPerSecond"] = "100000",
        ["Limits__Burst"] = "100000",
        ["Limits__MaxActiveJobsPerUser"] = "1000",
        ["Jobs__FirstRetryInterval"] = "00:00:02",
    };

    /// <summary>
    /// Where the emulator sends client invocations and connection events: the app's upstream function, with the
    /// function key as Azure SignalR Service's upstream settings carry it.
    /// </summary>
    public static string UpstreamTemplate(int hostPort) =>
        string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{hostPort}/api/upstream/{{hub}}/{{category}}/{{event}}?code={FunctionsHost.FunctionKey}");

    public string TokenFor(string user, string? tenant = null, IReadOnlyList<string>? roles = null) => _tokens.Issue(user, tenant, roles);

    public HttpClient CreateHttpClient(string? user)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TokenFor(user));
        }

        return client;
    }

    /// <summary>The .NET client, connecting through negotiate and the emulator as it does in Azure.</summary>
    public JobClient CreateClient(string user, string? token = null)
    {
        token ??= TokenFor(user);
        return new JobClient(new JobClientOptions
        {
            BaseUrl = BaseAddress,
            UseNegotiate = true,
            TokenProvider = _ => ValueTask.FromResult(token),
        });
    }

    /// <summary>What the processes wrote last, for a failure message.</summary>
    public string Diagnostics() =>
        $"--- Functions host ---\n{Host.Process.RecentOutput()}\n--- SignalR emulator ---\n{Emulator.Process.RecentOutput()}";

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync().ConfigureAwait(false);
        await Emulator.DisposeAsync().ConfigureAwait(false);
        await Azurite.DisposeAsync().ConfigureAwait(false);
    }
}
