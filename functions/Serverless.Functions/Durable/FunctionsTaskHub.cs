using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Serverless.Core.Capacity;

namespace Serverless.Functions.Durable;

/// <summary>
/// The task hub the Durable extension runs this app on: host.json's <c>extensions.durableTask</c> hub name and
/// partition count, overridden as the host overrides them, by the app settings
/// <c>AzureFunctionsJobHost__extensions__durableTask__hubName</c> / <c>…__storageProvider__partitionCount</c>.
/// </summary>
internal static class FunctionsTaskHub
{
    private const string HostSection = "AzureFunctionsJobHost:extensions:durableTask";

    // The extension's defaults when host.json names neither.
    private const string DefaultHubName = "TestHubName";
    private const int DefaultPartitionCount = 4;

    public static TaskHubQueues Read(IConfiguration configuration, string hostJsonPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        (string? hubName, int? partitions) = FromHostJson(hostJsonPath);
        string name = configuration[$"{HostSection}:hubName"] is { Length: > 0 } setting ? setting : hubName ?? DefaultHubName;
        int count = int.TryParse(configuration[$"{HostSection}:storageProvider:partitionCount"], out int configured) ? configured : partitions ?? DefaultPartitionCount;
        return new TaskHubQueues(name, count);
    }

    private static (string? HubName, int? Partitions) FromHostJson(string path)
    {
        if (!File.Exists(path))
        {
            return (null, null);
        }

        using JsonDocument hostJson = JsonDocument.Parse(File.ReadAllText(path));
        if (!hostJson.RootElement.TryGetProperty("extensions", out JsonElement extensions) ||
            !extensions.TryGetProperty("durableTask", out JsonElement durable))
        {
            return (null, null);
        }

        string? hubName = durable.TryGetProperty("hubName", out JsonElement name) ? name.GetString() : null;
        int? partitions = durable.TryGetProperty("storageProvider", out JsonElement provider) &&
            provider.TryGetProperty("partitionCount", out JsonElement count) && count.TryGetInt32(out int value) ? value : null;
        return (hubName, partitions);
    }
}
