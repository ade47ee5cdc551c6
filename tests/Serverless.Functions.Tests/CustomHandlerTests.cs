using Microsoft.Extensions.DependencyInjection;
using Serverless.Core;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Jobs;
using Serverless.Core.Storage;
using Serverless.Functions.Durable;
using Serverless.Functions.Http;
using Serverless.Functions.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Functions.Tests;

/// <summary>The same custom handler, registered the same way, works in the Functions app.</summary>
public sealed class CustomHandlerTests : IDisposable
{
    private readonly TestApp _app = new(services: s => s.AddJobHandler<WordCountHandler>());

    [Fact]
    public async Task AddJobHandler_NewAction_IsAcceptedAndItsStagesRunAsActivities()
    {
        JobsFunctions jobs = _app.Function<JobsFunctions>(out IServiceScope scope);
        ApiResponse answer;
        using (scope)
        {
            string body = """{"requestId":"wc-1","action":"word_count","payload":{"text":"to be or not to be"}}""";
            answer = TestApp.Answer(await jobs.SubmitJob(TestApp.Request("POST", _app.TokenFor("alice"), body), _app.Durable, default));
        }

        Assert.Equal(202, answer.StatusCode);
        string jobId = JobKeys.JobId("alice", "wc-1");
        JobActivityFunctions activities = _app.Function<JobActivityFunctions>(out IServiceScope activityScope);
        using (activityScope)
        {
            string payload = """{"text":"to be or not to be"}""";
            StageResult split = await activities.RunStage(new StageInput(jobId, "word_count", payload, ["split", "count"], 0, null), default);
            StageResult count = await activities.RunStage(new StageInput(jobId, "word_count", payload, ["split", "count"], 1, split.OutputJson), default);

            Assert.Contains("\"words\":6", count.OutputJson, StringComparison.Ordinal);
        }

        Assert.Contains(_app.Store.EventsOf(jobId), m => m.Stage == "count");
    }

    public void Dispose() => _app.Dispose();
}
