using System.Text.Json;
using Serverless.Testing;

namespace Serverless.Infra.Tests;

/// <summary>
/// The app settings the Bicep sets are exactly what the Functions app reads: the keys of
/// local.settings.sample.json (which Serverless.Functions.Tests proves complete), their identity-based or
/// platform variants, and the rest deliberately left at the app's defaults. The mapping lives here only.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class AppSettingsTests(CompiledTemplate template)
{
    /// <summary>Settings the Bicep sets under another name than the sample's: Bicep name → (sample key, why).</summary>
    private static readonly Dictionary<string, (string SampleKey, string Reason)> Variants = new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage__accountName"] = ("AzureWebJobsStorage", "identity-based host storage: the account name instead of a connection string with a key"),
    };

    /// <summary>Sample keys the Bicep leaves unset on purpose: sample key → why the app's default is right in Azure.</summary>
    private static readonly Dictionary<string, string> LeftAtDefault = new(StringComparer.Ordinal)
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "Flex Consumption sets the runtime through functionAppConfig.runtime and rejects this setting",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "telemetry goes to Application Insights; an OTLP collector is optional and not deployed",
        ["Storage__ConnectionString"] = "job state uses Storage__TableServiceUri / Storage__BlobServiceUri / Storage__QueueServiceUri with the identity; set URIs win over it",
        ["Storage__JobsTable"] = "the default table name is fine in a dedicated account",
        ["Storage__UserJobsTable"] = "the default table name is fine in a dedicated account",
        ["Storage__LargeValueContainer"] = "the default container name is fine in a dedicated account",
        ["Storage__RouteStatisticsTable"] = "the default table name is fine in a dedicated account",
        ["Storage__ConnectionsTable"] = "the default table name is fine in a dedicated account",
        ["Storage__OperatorControlsTable"] = "the default table name is fine in a dedicated account",
        ["Operators__CacheDuration"] = "tuning; the default is the documented one",
        ["Operators__PausedRetryAfter"] = "tuning; the default is the documented one",
        ["Operators__MaxPushCircuitMinutes"] = "tuning; the default is the documented one",
        ["Operators__MaxListScan"] = "tuning; the default is the documented one",
        ["Storage__NetworkTimeout"] = "tuning; the default suits Azure Storage in the same region",
        ["Storage__MaxRetries"] = "tuning; the default suits Azure Storage",
        ["Auth__TokenLifetime"] = "tuning; the default is the documented one",
        ["Auth__MaxTokenLifetime"] = "tuning; the default is the documented one",
        ["Auth__EnableDevelopmentTokens"] = "development tokens must stay off (default false) in Azure",
        ["Router__SyncThreshold"] = "routing tuning; defaults are the documented ones",
        ["Router__SyncTimeout"] = "routing tuning; defaults are the documented ones",
        ["Router__MaxPayloadBytes"] = "routing tuning; defaults are the documented ones",
        ["Router__DurationWindow"] = "routing tuning; defaults are the documented ones",
        ["Router__MinimumSamples"] = "routing tuning; defaults are the documented ones",
        ["Router__ReturnToSyncFactor"] = "routing tuning; defaults are the documented ones",
        ["Router__StatisticsSyncInterval"] = "routing tuning; defaults are the documented ones",
        ["Limits__RequestsPerSecond"] = "per-user limits; defaults are the documented ones",
        ["Limits__Burst"] = "per-user limits; defaults are the documented ones",
        ["Limits__ReadsPerSecond"] = "per-user limits; defaults are the documented ones",
        ["Limits__ReadBurst"] = "per-user limits; defaults are the documented ones",
        ["Limits__MaxActiveJobsPerUser"] = "per-user limits; defaults are the documented ones",
        ["Limits__MaxConnectionsPerUser"] = "per-user limits; defaults are the documented ones",
        ["Jobs__MaxAttempts"] = "retry policy; defaults are the documented ones",
        ["Jobs__FirstRetryInterval"] = "retry policy; defaults are the documented ones",
        ["Jobs__BackoffCoefficient"] = "retry policy; defaults are the documented ones",
        ["Jobs__MaxRetryInterval"] = "retry policy; defaults are the documented ones",
        ["Jobs__MaxConcurrentStages"] = "fan-out bound; the default is the documented one",
        ["Progress__FlushWindow"] = "progress batching; defaults are the documented ones",
        ["Progress__ImmediateFlushPercent"] = "progress batching; defaults are the documented ones",
        ["Progress__CancellationCheckInterval"] = "progress batching; defaults are the documented ones",
        ["SignalR__HubName"] = "the default hub (jobs) is the one clients connect to; the upstream accepts any hub pattern",
        ["SignalR__ClientTokenLifetime"] = "tuning; the default is the documented one",
        ["SignalR__AttemptTimeout"] = "push resilience tuning; defaults are the documented ones",
        ["SignalR__MaxRetries"] = "push resilience tuning; defaults are the documented ones",
        ["SignalR__RetryBaseDelay"] = "push resilience tuning; defaults are the documented ones",
        ["SignalR__MaxRetryDelay"] = "push resilience tuning; defaults are the documented ones",
        ["SignalR__BreakerMinimumThroughput"] = "push resilience tuning; defaults are the documented ones",
        ["SignalR__BreakerBreakDuration"] = "push resilience tuning; defaults are the documented ones",
        ["EventStream__ConnectionString"] = "replaced by EventStream__FullyQualifiedNamespace: the namespace has local (SAS) auth disabled",
        ["EventStream__Source"] = "the CloudEvents source; the default names this system",
        ["EventStream__OutboxTable"] = "the default table name is fine in a dedicated account",
        ["EventStream__OutboxShards"] = "outbox tuning; defaults are the documented ones",
        ["EventStream__OutboxRetention"] = "outbox tuning; defaults are the documented ones",
        ["EventStream__QueueCapacity"] = "shipping tuning; defaults are the documented ones",
        ["EventStream__ShipBatchSize"] = "shipping tuning; defaults are the documented ones",
        ["EventStream__PollInterval"] = "shipping tuning; defaults are the documented ones",
        ["EventStream__WriteInterval"] = "outbox tuning; defaults are the documented ones",
        ["EventStream__Grace"] = "shipping tuning; defaults are the documented ones",
        ["EventStream__MaxBatchBytes"] = "empty means the event hub's own batch limit, which is right",
        ["EventStream__PublishRetries"] = "shipping tuning; defaults are the documented ones",
        ["EventStream__PublishTimeout"] = "shipping tuning; defaults are the documented ones",
        ["EventStream__BreakDuration"] = "shipping tuning; defaults are the documented ones",
        ["Retention__FinishedJobAge"] = "retention; the default is the documented one",
        ["Retention__MaxJobsPerRun"] = "retention; the default is the documented one",
        ["Retention__Interval"] = "the local host's purge schedule; the Functions app purges from its timer",
        ["Capacity__QueueSampleInterval"] = "capacity sampling; the default is the documented one",
        ["Capacity__PoisonDequeueCount"] = "capacity sampling; the default is the documented one",
        ["History__Table"] = "the default table, which the Bicep creates",
        ["History__RetentionDays"] = "history retention; the default is the documented one",
        ["History__WriteInterval"] = "history writes; the default is the documented one",
    };

    [Fact]
    public void AppSettings_NamesAreLiterals()
    {
        // A computed name could not be checked below; keep every setting's name a plain string.
        string[] computed = [.. AppSettingNames().Where(name => name.StartsWith('['))];

        Assert.True(computed.Length == 0, "App setting names must be literals: " + string.Join(", ", computed));
    }

    [Fact]
    public void AppSettings_AreSampleKeysOrListedVariants()
    {
        HashSet<string> sample = SampleKeys();

        string[] unknown = [.. AppSettingNames().Where(name => !sample.Contains(name) && !Variants.ContainsKey(name))];

        Assert.True(unknown.Length == 0, "The Bicep sets settings the app does not read: " + string.Join(", ", unknown));
    }

    [Fact]
    public void SampleKeys_AreSetOrListedAsLeftAtDefault()
    {
        HashSet<string> set = [.. AppSettingNames(), .. Variants.Values.Select(v => v.SampleKey)];

        string[] unaccounted = [.. SampleKeys().Where(key => !set.Contains(key) && !LeftAtDefault.ContainsKey(key))];

        Assert.True(unaccounted.Length == 0, "Neither set by the Bicep nor listed as left at default: " + string.Join(", ", unaccounted));
    }

    [Fact]
    public void Mapping_HasNoStaleOrContradictoryEntries()
    {
        HashSet<string> sample = SampleKeys();
        HashSet<string> set = [.. AppSettingNames()];

        string[] stale =
        [
            .. LeftAtDefault.Keys.Where(key => !sample.Contains(key)).Select(key => $"{key} (left at default, not a sample key)"),
            .. LeftAtDefault.Keys.Where(set.Contains).Select(key => $"{key} (listed as left at default, but the Bicep sets it)"),
            .. LeftAtDefault.Keys.Where(key => Variants.Values.Any(v => v.SampleKey == key)).Select(key => $"{key} (listed as left at default, but a variant sets it)"),
            .. Variants.Keys.Where(name => !set.Contains(name)).Select(name => $"{name} (variant the Bicep no longer sets)"),
            .. Variants.Values.Where(v => !sample.Contains(v.SampleKey)).Select(v => $"{v.SampleKey} (variant of a key the sample lacks)"),
            .. LeftAtDefault.Concat(Variants.ToDictionary(v => v.Key, v => v.Value.Reason))
                .Where(entry => string.IsNullOrWhiteSpace(entry.Value)).Select(entry => $"{entry.Key} (no reason)"),
        ];

        Assert.True(stale.Length == 0, "Fix the mapping: " + string.Join("; ", stale));
    }

    [Fact]
    public void AppSettings_AreUnique()
    {
        string[] duplicates = [.. AppSettingNames().GroupBy(name => name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)];

        Assert.True(duplicates.Length == 0, "Set twice: " + string.Join(", ", duplicates));
    }

    private string[] AppSettingNames()
    {
        JsonElement site = Assert.Single(template.ResourcesOfType("Microsoft.Web/sites"));
        JsonElement settings = site.GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings");
        Assert.Equal(JsonValueKind.Array, settings.ValueKind);
        return [.. settings.EnumerateArray().Select(setting => setting.GetProperty("name").GetString()!)];
    }

    private static HashSet<string> SampleKeys()
    {
        using JsonDocument sample = JsonDocument.Parse(File.ReadAllText(RepositoryLayout.SampleSettings));
        return [.. sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name)];
    }
}
