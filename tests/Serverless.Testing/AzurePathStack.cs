using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Client;
using Serverless.Core.Security;
using Serverless.LocalHost.Storage;
using Serverless.Protocol;

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

    private const string WorkerStamp = "azpath";

    private readonly TokenService _tokens;

    private AzurePathStack(
        AzuriteProcess azurite, SignalREmulator emulator, IReadOnlyList<FunctionsHost> hosts, RoundRobinProxy? frontDoor, string taskHub, TokenService tokens)
    {
        Azurite = azurite;
        Emulator = emulator;
        Hosts = hosts;
        FrontDoor = frontDoor;
        TaskHub = taskHub;
        _tokens = tokens;
    }

    public AzuriteProcess Azurite { get; }

    public SignalREmulator Emulator { get; }

    /// <summary>The first (or only) app instance.</summary>
    public FunctionsHost Host => Hosts[0];

    /// <summary>Every app instance: one task hub, one storage account, one SignalR Service.</summary>
    public IReadOnlyList<FunctionsHost> Hosts { get; }

    /// <summary>With more than one instance: the round-robin front door that HTTP clients and the emulator's upstream go through.</summary>
    public RoundRobinProxy? FrontDoor { get; }

    public string TaskHub { get; }

    /// <summary>Where HTTP clients go: the front door when scaled out, else the only instance.</summary>
    public Uri BaseAddress => FrontDoor?.Address ?? Host.BaseAddress;

    /// <summary>
    /// Starts the stack; <paramref name="settings"/> override the app settings (the sample's, then the stack's). With
    /// <paramref name="instances"/> above 1 the app runs scaled out, as in Azure: that many Functions hosts on one task
    /// hub behind a <see cref="RoundRobinProxy"/>, each with its own Durable worker id (<see cref="WorkerId"/>).
    /// <paramref name="appStorage"/> maps Azurite's connection string to the one the app is given (both
    /// <c>AzureWebJobsStorage</c> and <c>Storage__ConnectionString</c>), e.g. through an <see cref="OutageProxy"/>;
    /// <see cref="Azurite"/> stays direct for the test's own checks.
    /// </summary>
    public static async Task<AzurePathStack> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, int instances = 1, Func<string, string>? appStorage = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(instances, 1);
        AzuriteProcess azurite = await RepositoryAzurite.StartAsync().ConfigureAwait(false);
        SignalREmulator? emulator = null;
        RoundRobinProxy? frontDoor = null;
        var hosts = new List<Task<FunctionsHost>>();
        try
        {
            int[] hostPorts = [.. Enumerable.Range(0, instances).Select(_ => FreePort.Next())];
            frontDoor = instances > 1 ? await RoundRobinProxy.StartAsync(hostPorts).ConfigureAwait(false) : null;
            emulator = await SignalREmulator.StartAsync(UpstreamTemplate(frontDoor?.Port ?? hostPorts[0])).ConfigureAwait(false);
            string taskHub = "azpath" + Guid.NewGuid().ToString("N")[..10];
            string storage = appStorage is null ? azurite.ConnectionString : appStorage(azurite.ConnectionString);
            Dictionary<string, string?> appSettings = AppSettings(storage, emulator.ConnectionString, taskHub);
            foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
            {
                appSettings[key] = value;
            }

            for (int i = 0; i < instances; i++)
            {
                Dictionary<string, string?> instanceSettings = new(appSettings);
                if (instances > 1)
                {
                    // The Durable extension names its worker "{WEBSITE_CURRENT_STAMPNAME}:{RoleInstanceId}" when both are
                    // set, else the machine name: instances on one machine would share one identity and each take the
                    // other's partition leases for its own.
                    instanceSettings["WEBSITE_CURRENT_STAMPNAME"] = WorkerStamp;
                    instanceSettings["RoleInstanceId"] = RoleInstance(i);
                }

                hosts.Add(FunctionsHost.StartAsync(instanceSettings, hostPorts[i]));
            }

            FunctionsHost[] started = await Task.WhenAll(hosts).ConfigureAwait(false);
            var tokens = new TokenService(Options.Create(new AuthOptions { SigningKey = SigningKey }), TimeProvider.System);
            return new AzurePathStack(azurite, emulator, started, frontDoor, taskHub, tokens);
        }
        catch
        {
            foreach (Task<FunctionsHost> host in hosts)
            {
                if (await host.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default).ConfigureAwait(false) is { } running)
                {
                    await running.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (frontDoor is not null)
            {
                await frontDoor.DisposeAsync().ConfigureAwait(false);
            }

            if (emulator is not null)
            {
                await emulator.DisposeAsync().ConfigureAwait(false);
            }

            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The Durable worker id of instance <paramref name="index"/> of a scaled-out stack.</summary>
    public static string WorkerId(int index) => $"{WorkerStamp}:{RoleInstance(index)}";

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
        ["Limits__ReadsPerSecond"] = "100000",
        ["Limits__ReadBurst"] = "100000",
        ["Limits__MaxActiveJobsPerUser"] = "1000",
        ["Jobs__FirstRetryInterval"] = "00:00:02",
    };

    /// <summary>
    /// Where the emulator sends client invocations and connection events: the app's upstream function, with the
    /// function key as Azure SignalR Service's upstream settings carry it.
    /// </summary>
    public static string UpstreamTemplate(int hostPort) =>
        string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{hostPort}/api/upstream/{{hub}}/{{category}}/{{event}}?code={FunctionsHost.FunctionKey}");

    private static string RoleInstance(int index) => string.Create(CultureInfo.InvariantCulture, $"instance{index}");

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
    public JobClient CreateClient(string user, string? token = null, bool messagePack = false)
    {
        token ??= TokenFor(user);
        return new JobClient(new JobClientOptions
        {
            BaseUrl = BaseAddress,
            UseNegotiate = true,
            TokenProvider = _ => ValueTask.FromResult(token),
            UseMessagePack = messagePack,
        });
    }

    /// <summary>
    /// Polls <c>GET /api/jobs/{id}</c> as <paramref name="user"/> until the job's view satisfies <paramref name="condition"/>;
    /// answers that fail while the host restarts are retried.
    /// </summary>
    public async Task<JobView> WaitForJobAsync(string user, string jobId, Func<JobView, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using HttpClient http = CreateHttpClient(user);
        using var deadline = new CancellationTokenSource(timeout);
        JobView? last = null;
        while (true)
        {
            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri($"api/jobs/{jobId}", UriKind.Relative), deadline.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    last = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false), ProtocolJson.Default.JobView);
                    if (last is not null && condition(last))
                    {
                        return last;
                    }
                }

                await Task.Delay(250, deadline.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (!deadline.IsCancellationRequested)
            {
                // The host is restarting.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Job {jobId} did not get there within {timeout}; last seen {last?.Status} at {last?.Percent} %.\n{Diagnostics()}");
            }
        }
    }

    /// <summary>What the processes wrote last, for a failure message.</summary>
    public string Diagnostics() =>
        string.Concat(Hosts.Select((h, i) => $"--- Functions host {i} ---\n{h.Process.RecentOutput()}\n")) +
        $"--- SignalR emulator ---\n{Emulator.Process.RecentOutput()}";

    public async ValueTask DisposeAsync()
    {
        foreach (FunctionsHost host in Hosts)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        if (FrontDoor is not null)
        {
            await FrontDoor.DisposeAsync().ConfigureAwait(false);
        }

        await Emulator.DisposeAsync().ConfigureAwait(false);
        await Azurite.DisposeAsync().ConfigureAwait(false);
    }
}
