using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.Events;
using Serverless.Core.Jobs;
using Serverless.Core.Notifications;
using Serverless.Core.Routing;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Events;
using Serverless.Testing;

namespace Serverless.Core.Tests.Storage;

/// <summary>
/// The router over the real <see cref="TableJobStore"/> on Azurite, with tables and a container of its own;
/// the store's requests pass through <see cref="JobsFaults"/> and <see cref="IndexFaults"/> so a test can fail some of them.
/// </summary>
internal sealed class StoreStack : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StoreStack(string connectionString, Dictionary<string, string?> settings)
    {
        ConnectionString = connectionString;
        string suffix = Guid.NewGuid().ToString("N")[..10];
        JobsTable = new TableClient(connectionString, "jobs" + suffix);
        IndexTable = new TableClient(connectionString, "index" + suffix);
        Blobs = new BlobContainerClient(connectionString, "values-" + suffix);

        var faultyOptions = new TableClientOptions();
        faultyOptions.AddPolicy(JobsFaults, HttpPipelinePosition.PerRetry);
        var faultyIndexOptions = new TableClientOptions();
        faultyIndexOptions.AddPolicy(IndexFaults, HttpPipelinePosition.PerRetry);
        Initializer = new StorageInitializer(
            new StorageClients(Options.Create(new StorageOptions { ConnectionString = connectionString })),
            [new StorageRequirement([JobsTable.Name, IndexTable.Name], [Blobs.Name])],
            TimeProvider.System,
            NullLogger<StorageInitializer>.Instance);
        Store = new TableJobStore(
            new TableClient(connectionString, JobsTable.Name, faultyOptions),
            new TableClient(connectionString, IndexTable.Name, faultyIndexOptions),
            Blobs,
            Initializer);

        settings["Auth:SigningKey"] = "core-tests-signing-key-0123456789abcdef";
        settings["Storage:ConnectionString"] = connectionString;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddSingleton<IJobStore>(Store);
        services.AddSingleton<IJobScheduler>(Scheduler);
        services.AddSingleton<IJobEventSink>(new RecordingEventSink());
        services.AddSingleton<IClientNotifier, NoopNotifier>();
        services.AddJobHandler<StagedTestHandler>();
        services.AddJobRouter();
        _services = services.BuildServiceProvider();
    }

    public string ConnectionString { get; }

    public TableClient JobsTable { get; }

    public TableClient IndexTable { get; }

    public BlobContainerClient Blobs { get; }

    /// <summary>Fails deletes in the jobs table while armed.</summary>
    public FailingRequestsPolicy JobsFaults { get; } = new(message => message.Request.Method == RequestMethod.Delete);

    /// <summary>Fails index writes (upserts are PUT or MERGE) while armed; index reads pass.</summary>
    public FailingRequestsPolicy IndexFaults { get; } = new(message => message.Request.Method != RequestMethod.Get);

    public TableJobStore Store { get; }

    public StorageInitializer Initializer { get; }

    public CapturingScheduler Scheduler { get; } = new();

    public static async Task<StoreStack> StartAsync(string connectionString, Dictionary<string, string?>? settings = null)
    {
        var stack = new StoreStack(connectionString, settings ?? []);
        await stack.Initializer.EnsureCreatedAsync(CancellationToken.None);
        return stack;
    }

    public JobRouter Router() => _services.CreateScope().ServiceProvider.GetRequiredService<JobRouter>();

    /// <summary>Every row of a table, as stored.</summary>
    public static async Task<List<TableEntity>> RowsAsync(TableClient table, string? partition = null)
    {
        var rows = new List<TableEntity>();
        string? filter = partition is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The names of every blob in the stack's container.</summary>
    public async Task<List<string>> BlobNamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in Blobs.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await JobsTable.DeleteAsync();
        await IndexTable.DeleteAsync();
        await Blobs.DeleteIfExistsAsync();
    }
}
