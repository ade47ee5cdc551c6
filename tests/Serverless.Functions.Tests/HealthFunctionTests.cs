using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Endpoints.Http;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;
using Serverless.Protocol;

namespace Serverless.Functions.Tests;

public sealed class HealthFunctionTests : IDisposable
{
    // Port 1 on loopback never answers: storage is unreachable whatever runs on this machine.
    private readonly TestApp _app = new(new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
    });

    [Fact]
    public async Task Health_NoStorageReachable_ReportsStorageRedPushGreenAnd503()
    {
        HealthFunction function = _app.Function<HealthFunction>(out IServiceScope scope);
        using (scope)
        {
            ApiResponse answer = TestApp.Answer(await function.Health(TestApp.Request("GET")));

            HealthReport report = JsonSerializer.Deserialize(answer.Body, ProtocolJson.Default.HealthReport)!;
            Assert.Equal(503, answer.StatusCode);
            Assert.Equal(HealthStatus.Red, report.Status);
            Assert.Equal(HealthStatus.Red, report.Dependencies.Single(d => d.Name == "storage").Status);
            DependencyHealth push = report.Dependencies.Single(d => d.Name == "push");
            Assert.Equal(HealthStatus.Green, push.Status);
            Assert.Contains("circuit closed", push.Detail, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _app.Dispose();
}
