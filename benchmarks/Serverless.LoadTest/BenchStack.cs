using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Serverless.Core.Security;
using Serverless.LocalHost.Storage;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LoadTest;

/// <summary>Azurite plus helpers to start servers as child processes and to connect real SignalR clients to them.</summary>
internal sealed class BenchStack : IAsyncDisposable
{
    public const string SigningKey = "load-test-signing-key-0123456789abcdef0123";

    private readonly List<ChildProcess> _children = [];
    private readonly TokenService _tokens = new(Options.Create(new AuthOptions { SigningKey = SigningKey }), TimeProvider.System);

    private BenchStack(AzuriteProcess azurite) => Azurite = azurite;

    public AzuriteProcess Azurite { get; }

    public static async Task<BenchStack> StartAsync() => new(await RepositoryAzurite.StartAsync());

    /// <summary>The local host's settings for a run: its own task hub and tables, limits out of the way.</summary>
    public Dictionary<string, string> HostSettings(string name) => new()
    {
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:JobsTable"] = name + "jobs",
        ["Storage:UserJobsTable"] = name + "index",
        ["Durable:TaskHubName"] = name,
        ["Azurite:AutoStart"] = "false",
        ["Auth:SigningKey"] = SigningKey,
        ["Limits:RequestsPerSecond"] = "1000000",
        ["Limits:Burst"] = "1000000",
        ["Limits:MaxActiveJobsPerUser"] = "100000",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>
    /// Starts the local host (or, with <paramref name="bareHub"/>, the baseline hub) as a child process, on
    /// <paramref name="port"/> when given (a restarted host keeps its address, so clients reconnect to it).
    /// </summary>
    public async Task<ChildServer> StartServerAsync(IReadOnlyDictionary<string, string>? settings, bool bareHub = false, int? port = null)
    {
        ChildServer server;
        if (bareHub)
        {
            int listenPort = port ?? FreePort.Next();
            ChildProcess process = ChildProcess.Start(
                "Bare hub", "dotnet", [Path.Combine(AppContext.BaseDirectory, "Serverless.LoadTest.dll"), "serve-bare-hub", listenPort.ToString(CultureInfo.InvariantCulture)],
                workingDirectory: AppContext.BaseDirectory);
            _children.Add(process);
            await FreePort.WaitListeningAsync(listenPort, process, TimeSpan.FromSeconds(60));
            server = new ChildServer(process, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{listenPort}")));
        }
        else
        {
            LocalHostProcess host = await LocalHostProcess.StartAsync(settings ?? new Dictionary<string, string>(), port);
            _children.Add(host.Process);
            server = new ChildServer(host.Process, host.BaseAddress);
        }

        return server;
    }

    public string TokenFor(string user) => _tokens.Issue(user);

    /// <summary>A connection for <paramref name="user"/>; with <paramref name="reconnect"/>, it reconnects by that policy when lost.</summary>
    public HubConnection Connection(Uri baseAddress, string user, IRetryPolicy? reconnect = null)
    {
        IHubConnectionBuilder builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/jobs"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(TokenFor(user)))
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ProtocolJson.Default);
                o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            });
        return (reconnect is null ? builder : builder.WithAutomaticReconnect(reconnect)).Build();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ChildProcess child in _children)
        {
            await child.KillAsync();
            await child.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}

/// <summary>A server process: where it listens, and its resident memory.</summary>
internal sealed record ChildServer(ChildProcess Process, Uri BaseAddress)
{
    /// <summary>Peak resident set size (VmHWM) in MiB, read from /proc.</summary>
    public double PeakRssMiB() => StatusMiB("VmHWM:");

    /// <summary>Resident set size now (VmRSS) in MiB, read from /proc.</summary>
    public double RssMiB() => StatusMiB("VmRSS:");

    private double StatusMiB(string field)
    {
        string line = File.ReadLines($"/proc/{Process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>SIGKILL: no shutdown of any kind.</summary>
    public Task KillAsync() => Process.KillAsync();
}
