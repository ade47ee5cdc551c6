using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Api;
using Serverless.Core.Diagnostics;
using Serverless.Core.Protocol;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;

namespace Serverless.Functions.Tests;

public sealed class StatsFunctionTests : IDisposable
{
    private readonly TestApp _app = new(new Dictionary<string, string?>());

    [Fact]
    public void Stats_Always_Answers200WithTheRollingWindow()
    {
        StatsFunction function = _app.Function<StatsFunction>(out IServiceScope scope);
        using (scope)
        {
            ApiResponse answer = TestApp.Answer(function.Stats(TestApp.Request("GET")));

            JobStatisticsSnapshot stats = JsonSerializer.Deserialize(answer.Body, ProtocolJson.Default.JobStatisticsSnapshot)!;
            Assert.Equal(200, answer.StatusCode);
            Assert.Equal(JobStatistics.Window.TotalSeconds, stats.WindowSeconds);
        }
    }

    public void Dispose() => _app.Dispose();
}
