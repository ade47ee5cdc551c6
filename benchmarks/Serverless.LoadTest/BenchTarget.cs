using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Testing;

namespace Serverless.LoadTest;

/// <summary>Where a scenario's clients go: the local host's hub, or the Azure path through negotiate and the SignalR Service emulator.</summary>
internal abstract class BenchTarget : IAsyncDisposable
{
    /// <summary>How the figures are labelled: <c>local host</c> or <c>Azure path</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The Durable task hub of the host, lower case, as its queues, tables and lease containers are named.</summary>
    public abstract string TaskHub { get; }

    /// <summary>A started connection of <paramref name="user"/>, as a client of this host makes it.</summary>
    public abstract Task<HubConnection> ConnectAsync(string user);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// The local host as a child process on the bench's Azurite, with its own task hub and tables; its storage through
    /// <paramref name="storage"/> when given (e.g. a <see cref="StorageRequestCounter"/>).
    /// </summary>
    public static async Task<BenchTarget> StartLocalAsync(BenchStack stack, string name, string? storage = null)
    {
        Dictionary<string, string> settings = stack.HostSettings(name + Guid.NewGuid().ToString("N")[..8]);
        if (storage is not null)
        {
            settings["Storage:ConnectionString"] = storage;
        }

        return new Local(stack, await stack.StartServerAsync(settings), settings["Durable:TaskHubName"].ToLowerInvariant());
    }

    /// <summary>
    /// The Azure path: a fresh Azurite, the SignalR Service emulator and the Functions app in the Functions host
    /// (<see cref="AzurePathStack"/>), logging at Warning as the local host runs in the bench. <paramref name="appSettings"/>
    /// override the app's settings (e.g. host.json values as <c>AzureFunctionsJobHost__…</c>); <paramref name="appStorage"/>
    /// maps Azurite's connection string to the one the app is given.
    /// </summary>
    public static async Task<BenchTarget> StartAzureAsync(
        IReadOnlyDictionary<string, string> appSettings, Func<string, string>? appStorage = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost__logging__logLevel__default"] = "Warning",
            ["AzureFunctionsJobHost__logging__logLevel__Function"] = "Warning",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Limits__MaxActiveJobsPerUser"] = "100000",
        };
        foreach ((string key, string value) in appSettings)
        {
            settings[key] = value;
        }

        return new Azure(await AzurePathStack.StartAsync(settings, appStorage: appStorage));
    }

    private sealed class Local(BenchStack stack, ChildServer server, string taskHub) : BenchTarget
    {
        public override string Name => "local host";

        public override string TaskHub => taskHub;

        public override async Task<HubConnection> ConnectAsync(string user)
        {
            HubConnection connection = stack.Connection(server.BaseAddress, user);
            await connection.StartAsync();
            return connection;
        }

        public override async ValueTask DisposeAsync() => await server.KillAsync();
    }

    private sealed class Azure(AzurePathStack stack) : BenchTarget
    {
        public override string Name => "Azure path";

        public override string TaskHub => stack.TaskHub.ToLowerInvariant();

        public override async Task<HubConnection> ConnectAsync(string user) =>
            (await HubClient.NegotiateAndConnectAsync(stack.BaseAddress, stack.TokenFor(user))).Connection;

        public override ValueTask DisposeAsync() => stack.DisposeAsync();
    }
}
