using System.Text.Json;
using Serverless.Testing;

namespace Serverless.Infra.Tests;

/// <summary>The deployment creates every table and container the app writes, under the names the app uses by default.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class StorageTests(CompiledTemplate template)
{
    [Fact]
    public void Tables_AreTheAppsDefaultTables()
    {
        Assert.NotEmpty(template.ResourcesOfType("Microsoft.Storage/storageAccounts/tableServices/tables"));
        Assert.Equal(
            Sample("Storage__JobsTable", "Storage__UserJobsTable", "Storage__RouteStatisticsTable", "EventStream__OutboxTable", "Storage__ConnectionsTable", "History__Table",
                "Storage__OperatorControlsTable"),
            StorageModuleDefault("appTables"));
    }

    [Fact]
    public void Containers_IncludeTheLargeValueContainer()
    {
        Assert.NotEmpty(template.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal(Sample("Storage__LargeValueContainer"), StorageModuleDefault("appContainers"));
    }

    private string[] StorageModuleDefault(string parameter)
    {
        JsonElement module = template.Templates().Single(t =>
            t.TryGetProperty("parameters", out JsonElement parameters) && parameters.TryGetProperty(parameter, out _));
        return [.. module.GetProperty("parameters").GetProperty(parameter).GetProperty("defaultValue").EnumerateArray().Select(v => v.GetString()!).Order()];
    }

    private static string[] Sample(params string[] keys)
    {
        using JsonDocument sample = JsonDocument.Parse(File.ReadAllText(RepositoryLayout.SampleSettings));
        JsonElement values = sample.RootElement.GetProperty("Values");
        return [.. keys.Select(key => values.GetProperty(key).GetString()!).Order()];
    }
}
