using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Diagnostics;

namespace Serverless.Benchmarks;

/// <summary>The metrics a host would give the measured type: a meter of its own.</summary>
internal static class BenchmarkMetrics
{
    public static ServerlessMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
