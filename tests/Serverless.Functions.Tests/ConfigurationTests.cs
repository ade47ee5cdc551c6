using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless.Functions.Tests;

/// <summary>local.settings.sample.json and host.json stay in step with what the app reads.</summary>
public class ConfigurationTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    [Fact]
    public void SampleSettings_HoldEveryOptionTheAppBinds()
    {
        HashSet<string> sample = [.. SampleValues().Keys];

        string[] missing = [.. BoundOptionKeys().Where(key => !sample.Contains(key))];

        Assert.True(missing.Length == 0, "local.settings.sample.json lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void SampleSettings_BindAndValidate()
    {
        var values = SampleValues()
            .ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddServerlessFunctions();
        using ServiceProvider provider = services.BuildServiceProvider();

        foreach (Type options in BoundOptionTypes(services))
        {
            Type accessor = typeof(IOptions<>).MakeGenericType(options);
            Assert.NotNull(accessor.GetProperty("Value")!.GetValue(provider.GetRequiredService(accessor)));
        }
    }

    [Fact]
    public void HostJson_SetsTheDurableAndHttpValuesTheDocsDescribe()
    {
        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "host.json")));
        JsonElement durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");

        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal("api", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.False(string.IsNullOrEmpty(durable.GetProperty("hubName").GetString()));
        Assert.True(durable.GetProperty("storageProvider").TryGetProperty("maxQueuePollingInterval", out _));
        Assert.True(durable.GetProperty("storageProvider").TryGetProperty("partitionCount", out _));
        Assert.True(durable.TryGetProperty("extendedSessionsEnabled", out _));
        Assert.True(host.RootElement.TryGetProperty("functionTimeout", out _));
    }

    [Fact]
    public void FunctionsDoc_DescribesEverySampleSetting()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "FUNCTIONS.md"));

        string[] missing = [.. SampleValues().Keys.Where(key => !doc.Contains($"`{key}`", StringComparison.Ordinal))];

        Assert.True(missing.Length == 0, "docs/FUNCTIONS.md lacks: " + string.Join(", ", missing));
    }

    /// <summary><c>Section__Property</c> for every public property of every options class the app binds.</summary>
    private static IEnumerable<string> BoundOptionKeys()
    {
        var services = new ServiceCollection();
        services.AddServerlessFunctions();
        foreach (Type options in BoundOptionTypes(services))
        {
            string section = (string)options.GetField("Section", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            foreach (PropertyInfo property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                yield return $"{section}__{property.Name}";
            }
        }
    }

    // BindConfiguration registers a change-token source per bound options type.
    private static IEnumerable<Type> BoundOptionTypes(IServiceCollection services) =>
        services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Distinct();

    private static Dictionary<string, string> SampleValues()
    {
        using JsonDocument sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    private static string FindRepositoryRoot()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "local.settings.sample.json")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("No local.settings.sample.json above the test output.");
    }
}
