using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Diagnostics;

namespace Serverless.Core.Tests;

/// <summary>A host's metrics for a test that builds no host: its own meter, as each host has.</summary>
internal static class TestMetrics
{
    public static ServerlessMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
