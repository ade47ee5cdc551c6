using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Serverless.Core.Diagnostics;

namespace Serverless.Core.Tests.Diagnostics;

/// <summary>Telemetry costs nothing until an exporter is configured, and covers the job spans once one is.</summary>
public sealed class TelemetryServiceCollectionExtensionsTests
{
    [Fact]
    public void NoExporterConfigured_NoTracerProvider()
    {
        using ServiceProvider services = Build([]);

        Assert.Null(services.GetService<TracerProvider>());
    }

    [Fact]
    public void OtlpEndpointConfigured_JobSpansAreRecorded()
    {
        using ServiceProvider services = Build(new() { [TelemetryServiceCollectionExtensions.OtlpEndpointSetting] = "http://127.0.0.1:4317" });

        Assert.NotNull(services.GetService<TracerProvider>());
        using Activity? span = ServerlessTelemetry.StartJobSpan("job.stage", traceParent: null, "job-1");
        Assert.NotNull(span);
        Assert.True(span.Recorded);
        Assert.Equal("job-1", span.GetTagItem("job.id"));
    }

    [Fact]
    public void TraceParentFromTheJobInput_ContinuesThatTrace()
    {
        using ServiceProvider services = Build(new() { [TelemetryServiceCollectionExtensions.OtlpEndpointSetting] = "http://127.0.0.1:4317" });
        _ = services.GetRequiredService<TracerProvider>();
        const string parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        using Activity? span = ServerlessTelemetry.StartJobSpan("job.finish", parent, "job-2");

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", span!.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", span.ParentSpanId.ToHexString());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddServerlessTelemetry(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), "tests");
        return services.BuildServiceProvider();
    }
}
