using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.LocalHost.Durable;

/// <summary>
/// Runs what the Functions host gives an isolated worker: the Durable Task Azure Storage backend behind the
/// gRPC sidecar protocol, on a loopback HTTP/2 port of its own. The worker and client talk to it through <see cref="Channel"/>.
/// </summary>
internal sealed class DurableSidecar : IHostedService, IAsyncDisposable
{
    private readonly IOptions<DurableOptions> _options;
    private readonly IOptions<StorageOptions> _storage;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IOrchestrationServiceClient> _backend = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _server;

    public DurableSidecar(IOptions<DurableOptions> options, IOptions<StorageOptions> storage, ILoggerFactory loggerFactory)
    {
        _options = options;
        _storage = storage;
        _loggerFactory = loggerFactory;

        // The worker's channel must exist before any hosted service starts, but the port is the OS's choice when the
        // server binds: connections wait for it, so no port is picked early and lost to another process meanwhile.
        Channel = GrpcChannel.ForAddress("http://127.0.0.1", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectCallback = ConnectAsync },
            LoggerFactory = loggerFactory,
        });
    }

    public GrpcChannel Channel { get; }

    /// <summary>The backend the sidecar serves, for the one call that goes to it directly (<see cref="SidecarJobScheduler"/>).</summary>
    public Task<IOrchestrationServiceClient> Backend => _backend.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        DurableOptions options = _options.Value;
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(_storage.Value.ConnectionString),
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            ControlQueueBatchSize = options.ControlQueueBatchSize,
            WorkItemQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = options.ControlQueueVisibilityTimeout,
            LeaseInterval = options.LeaseInterval,
            LeaseRenewInterval = options.LeaseRenewInterval,
            LeaseAcquireInterval = options.LeaseRenewInterval,
            LoggerFactory = _loggerFactory,

            // The backend holds back a start message whose instance row it cannot find yet (and drops it after ten tries),
            // which guards instance ids that are reused. Here every instance id is started once: a job's first run by its
            // start message alone (SidecarJobScheduler), whose row the backend writes when it runs it; a retry's run under an
            // id of its own. A start message sent twice for one id is still dropped, by the orchestration dispatcher.
            DisableExecutionStartedDeduplication = true,
        });
        _backend.TrySetResult(service);
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);

        // A private server: none of the app's configuration (URLs, settings files) applies to it.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        // Through the hosting URL rather than an explicit endpoint, so Kestrel does not warn that it overrides the app's URLs.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(new StartedOnlyStopOrchestrationService(service));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        _server = builder.Build();
        _server.MapGrpcService<TaskHubGrpcServer>();
        try
        {
            await _server.StartAsync(cancellationToken).ConfigureAwait(false);
            _port.TrySetResult(new Uri(_server.Urls.First()).Port);
        }
        catch (Exception ex)
        {
            _port.TrySetException(ex);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _port.TrySetCanceled();
        _backend.TrySetCanceled();
        Channel.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        int port = await _port.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
