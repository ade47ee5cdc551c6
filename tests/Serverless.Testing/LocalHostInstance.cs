using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Client;
using Serverless.Core.Security;
using Serverless.LocalHost;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>A real local host in the test process (Kestrel on port 0, Durable backend on Azurite) and clients for it.</summary>
public sealed class LocalHostInstance : IAsyncDisposable
{
    public const string SigningKey = "integration-test-signing-key-0123456789abcdef";

    private readonly WebApplication _app;

    private LocalHostInstance(WebApplication app, Uri baseAddress, IReadOnlyDictionary<string, string?> settings)
    {
        _app = app;
        BaseAddress = baseAddress;
        Settings = settings;
    }

    public Uri BaseAddress { get; }

    /// <summary>The settings the host started with (each instance has its own tables, container and task hub).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public string JobsTable => Settings["Storage:JobsTable"]!;

    public string IndexTable => Settings["Storage:UserJobsTable"]!;

    public string RouteStatisticsTable => Settings["Storage:RouteStatisticsTable"]!;

    public string LargeValueContainer => Settings["Storage:LargeValueContainer"]!;

    public string OutboxTable => Settings["EventStream:OutboxTable"]!;

    public IServiceProvider Services => _app.Services;

    public static JsonSerializerOptions Json => ProtocolJson.Default.Options;

    /// <summary>
    /// Starts a host on the Azurite of <paramref name="connectionString"/> with its own tables, container and task hub;
    /// <paramref name="overrides"/> replace settings, <paramref name="services"/> replace registrations.
    /// </summary>
    public static async Task<LocalHostInstance> StartAsync(
        string connectionString, IDictionary<string, string?>? overrides, Action<IServiceCollection>? services = null, string environment = "Development")
    {
        string unique = "t" + Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:JobsTable"] = unique + "jobs",
            ["Storage:UserJobsTable"] = unique + "index",
            ["Storage:RouteStatisticsTable"] = unique + "routes",
            ["Storage:OperatorControlsTable"] = unique + "controls",
            ["Storage:LargeValueContainer"] = unique + "-values",
            ["EventStream:OutboxTable"] = unique + "outbox",
            ["Durable:TaskHubName"] = unique,
            ["Durable:PartitionCount"] = "2",
            ["Azurite:AutoStart"] = "false",
            ["Auth:SigningKey"] = SigningKey,
            ["Auth:EnableDevelopmentTokens"] = "true",
            ["Jobs:FirstRetryInterval"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Limits:RequestsPerSecond"] = "100000",
            ["Limits:Burst"] = "100000",
            ["Limits:ReadsPerSecond"] = "100000",
            ["Limits:ReadBurst"] = "100000",
        };
        foreach (KeyValuePair<string, string?> pair in overrides ?? new Dictionary<string, string?>())
        {
            settings[pair.Key] = pair.Value;
        }

        // Development, on loopback: the only place the host issues development tokens.
        WebApplication app = LocalHostApp.Build(["--environment", environment], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalHostInstance(app, new Uri(address), settings);
    }

    public string TokenFor(string user, string? tenant = null) =>
        _app.Services.GetRequiredService<TokenService>().Issue(user, tenant);

    public HttpClient CreateHttpClient(string? user)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(user));
        }

        return client;
    }

    /// <summary>A started SignalR connection with the real .NET client, recording every pushed message.</summary>
    public Task<HubClient> ConnectAsync(string user, string? token = null) =>
        HubClient.ConnectAsync(new Uri(BaseAddress, "/hubs/jobs"), token ?? TokenFor(user));

    /// <summary>A <see cref="JobClient"/> for <paramref name="user"/>, talking to this host or to <paramref name="through"/> (e.g. a proxy in front of it).</summary>
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

    public TableClient JobsTableClient(string connectionString) => new(connectionString, JobsTable);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
