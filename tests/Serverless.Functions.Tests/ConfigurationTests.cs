using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Testing;

namespace Serverless.Functions.Tests;

/// <summary>local.settings.sample.json and host.json stay in step with what the app reads.</summary>
public class ConfigurationTests
{
    [Fact]
    public void SampleSettings_HoldEveryOptionTheAppBinds()
    {
        HashSet<string> sample = [.. SampleValues().Keys];

        string[] missing = [.. BoundOptionKeys().Where(key => !sample.Contains(key))];

        Assert.True(missing.Length == 0, "local.settings.sample.json lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void SampleSettings_EachBindsToTheOptionItNames_WithTheSampleValue()
    {
        using ServiceProvider provider = BuildApp(SampleValues());
        Dictionary<string, Type> optionsBySection = BoundOptionTypes(AppServices()).ToDictionary(SectionOf, StringComparer.Ordinal);
        var wrong = new List<string>();
        int checkedSettings = 0;

        // Section__Property settings are the app's options; the others (FUNCTIONS_WORKER_RUNTIME, ...) are the runtime's.
        foreach ((string key, string sample) in SampleValues().Where(pair => pair.Key.Contains("__", StringComparison.Ordinal)))
        {
            string[] parts = key.Split("__");
            PropertyInfo? property = optionsBySection.TryGetValue(parts[0], out Type? options) && parts.Length == 2
                ? options.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance)
                : null;
            if (property is null)
            {
                wrong.Add($"{key}: no options property of that name");
                continue;
            }

            object? bound = property.GetValue(OptionsValue(provider, options!));
            object? expected = SampleAs(sample, property.PropertyType);
            if (!Equals(bound, expected) && !(IsEmpty(bound) && IsEmpty(expected)))
            {
                wrong.Add($"{key}: bound {bound ?? "null"}, sample {sample}");
            }

            checkedSettings++;
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
        Assert.Equal(BoundOptionKeys().Count(), checkedSettings);
    }

    // One setting of each section: a sample value equal to its default cannot show the section binds; a bad one can.
    [Theory]
    [InlineData("Router__MaxPayloadBytes", "0", "MaxPayloadBytes")]
    [InlineData("Storage__JobsTable", "no_underscores", "JobsTable")]
    [InlineData("Jobs__MaxAttempts", "0", "MaxAttempts")]
    [InlineData("Progress__FlushWindow", "01:00:00", "FlushWindow")]
    [InlineData("Auth__TokenLifetime", "00:00:01", "TokenLifetime")]
    [InlineData("Limits__Burst", "0", "Burst")]
    [InlineData("SignalR__HubName", "1-bad", "HubName")]
    [InlineData("EventStream__OutboxShards", "0", "OutboxShards")]
    [InlineData("Retention__MaxJobsPerRun", "0", "MaxJobsPerRun")]
    public void SampleSettings_OneBadValue_FailsAtStartNamingTheSetting(string key, string value, string property)
    {
        Dictionary<string, string> values = SampleValues();
        values[key] = value;
        using ServiceProvider provider = BuildApp(values);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleSettings_PassValidationAtStart()
    {
        using ServiceProvider provider = BuildApp(SampleValues());

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void HostJson_SetsTheDurableAndHttpValuesTheDocsDescribe()
    {
        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "host.json")));
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
        string doc = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "FUNCTIONS.md"));

        string[] missing = [.. SampleValues().Keys.Where(key => !doc.Contains($"`{key}`", StringComparison.Ordinal))];

        Assert.True(missing.Length == 0, "docs/FUNCTIONS.md lacks: " + string.Join(", ", missing));
    }

    private static ServiceProvider BuildApp(Dictionary<string, string> settings)
    {
        var values = settings.ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value);
        ServiceCollection services = AppServices();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        return services.BuildServiceProvider();
    }

    private static ServiceCollection AppServices()
    {
        var services = new ServiceCollection();
        services.AddServerlessFunctions();
        return services;
    }

    private static object OptionsValue(IServiceProvider provider, Type options)
    {
        Type accessor = typeof(IOptions<>).MakeGenericType(options);
        return accessor.GetProperty("Value")!.GetValue(provider.GetRequiredService(accessor))!;
    }

    private static string SectionOf(Type options) =>
        (string)options.GetField("Section", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static object? SampleAs(string sample, Type type)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        if (sample.Length == 0)
        {
            return target == typeof(string) ? string.Empty : null;
        }

        return target == typeof(Uri) ? new Uri(sample) : TypeDescriptor.GetConverter(target).ConvertFromInvariantString(sample);
    }

    private static bool IsEmpty(object? value) => value is null || value is string { Length: 0 };

    /// <summary><c>Section__Property</c> for every public property of every options class the app binds.</summary>
    private static IEnumerable<string> BoundOptionKeys()
    {
        foreach (Type options in BoundOptionTypes(AppServices()))
        {
            string section = SectionOf(options);
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
        using JsonDocument sample = JsonDocument.Parse(File.ReadAllText(RepositoryLayout.SampleSettings));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
