using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Security;
using Serverless.LocalHost;

namespace Serverless.Client.Tests.Infrastructure;

/// <summary>A real local host (Kestrel on a free port, Durable backend on Azurite) and clients for it.</summary>
public sealed class LocalHostInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalHostInstance(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<LocalHostInstance> StartAsync(string connectionString)
    {
        string unique = "c" + Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:JobsTable"] = unique + "jobs",
            ["Storage:UserJobsTable"] = unique + "index",
            ["Storage:OperatorControlsTable"] = unique + "controls",
            ["Durable:TaskHubName"] = unique,
            ["Durable:PartitionCount"] = "2",
            ["Azurite:AutoStart"] = "false",
            ["Auth:SigningKey"] = "client-test-signing-key-0123456789abcdef-0123",
            ["Auth:EnableDevelopmentTokens"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Limits:RequestsPerSecond"] = "100000",
            ["Limits:Burst"] = "100000",
            ["Limits:ReadsPerSecond"] = "100000",
            ["Limits:ReadBurst"] = "100000",
        };

        // Development, on loopback: the only place the host issues development tokens.
        WebApplication app = LocalHostApp.Build(["--environment", "Development"], builder => builder.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalHostInstance(app, new Uri(address));
    }

    public string TokenFor(string user) => _app.Services.GetRequiredService<TokenService>().Issue(user, null);

    /// <summary>A client for <paramref name="user"/>, talking to this host or to <paramref name="through"/> (e.g. a proxy in front of it).</summary>
    public JobClient CreateClient(string user, Uri? through = null, TimeSpan? resyncAfter = null, bool messagePack = false)
    {
        string token = TokenFor(user);
        var options = new JobClientOptions
        {
            BaseUrl = through ?? BaseAddress,
            TokenProvider = _ => ValueTask.FromResult(token),
            UseMessagePack = messagePack,
        };
        if (resyncAfter is { } interval)
        {
            options.ResyncAfter = interval;
        }

        return new JobClient(options);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
