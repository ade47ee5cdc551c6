using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Events;
using Serverless.Core.Jobs;
using Serverless.Core.Notifications;
using Serverless.Core.Routing;
using Serverless.Core.Security;
using Serverless.Core.Storage;
using Serverless.Testing;

namespace Serverless.Core.Tests.Routing;

/// <summary>The core's router as a host composes it, over an in-memory store, a recording scheduler and a fake clock.</summary>
internal sealed class RouterHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public RouterHarness(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?> { ["Auth:SigningKey"] = "core-tests-signing-key-0123456789abcdef" };
        foreach ((string key, string? value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IJobStore>(Store);
        services.AddSingleton<IJobScheduler>(Scheduler);
        services.AddSingleton<IJobEventSink>(Events);
        services.AddSingleton<IClientNotifier>(Notifier);
        configure?.Invoke(services);
        services.AddJobRouter();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InMemoryJobStore Store { get; } = new();

    public RecordingScheduler Scheduler { get; } = new();

    public RecordingEventSink Events { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    public ActionDurations Durations => _services.GetRequiredService<ActionDurations>();

    public static CallerIdentity Alice { get; } = new("alice");

    public JobRouter Router() => _services.CreateScope().ServiceProvider.GetRequiredService<JobRouter>();

    public StageRunner StageRunner() => _services.GetRequiredService<StageRunner>();

    public void Dispose() => _services.Dispose();
}
