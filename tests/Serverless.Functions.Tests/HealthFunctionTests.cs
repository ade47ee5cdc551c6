using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Api;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;

namespace Serverless.Functions.Tests;

public sealed class HealthFunctionTests : IDisposable
{
    private readonly TestApp _app = new();

    [Fact]
    public void Health_Anonymous_Ok()
    {
        HealthFunction function = _app.Function<HealthFunction>(out IServiceScope scope);
        using (scope)
        {
            ApiResponse answer = TestApp.Answer(function.Health(TestApp.Request("GET")));

            Assert.Equal(200, answer.StatusCode);
            Assert.Equal("healthy", JsonDocument.Parse(answer.Json).RootElement.GetProperty("status").GetString());
        }
    }

    public void Dispose() => _app.Dispose();
}
