using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Core.Jobs;
using Serverless.Core.Security;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Operators;

/// <summary><c>POST /api/operators/jobs/{id}/retry</c> on the local host: a failed job runs again from its failed stage.</summary>
[Collection(StackCollection.Name)]
public sealed class OperatorRetryTests(LocalStackFixture stack)
{
    private const string Operator = "ops-retry";

    // Well formed (j + 31 hex digits), but no job has it.
    private static readonly string UnknownJob = "j" + new string('0', 31);

    [Fact]
    public async Task Retry_FailedInStage2_RunsFromStage2OnceWithSeqContinuing()
    {
        int maxAttempts = stack.Host.Services.GetRequiredService<IOptions<JobOptions>>().Value.MaxAttempts;
        await using HubClient owner = await stack.Host.ConnectAsync("retry-owner");
        JobMessage accepted = await owner.SubmitAsync(
            "retry-stage2", "simulate", new { stages = 3, failStage = 1, failTimes = maxAttempts, durationMs = 300, updates = 6 });
        IReadOnlyList<JobMessage> firstRun = await owner.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(90));
        Assert.Equal(MessageTypes.Failed, firstRun[^1].Type);
        long failedSeq = firstRun[^1].Seq!.Value;

        // Two operators' retries at once: one starts the run, the other finds the job no longer failed.
        using HttpClient http = OperatorClient();
        HttpResponseMessage[] replies = await Task.WhenAll(
            http.PostAsync($"/api/operators/jobs/{accepted.JobId}/retry", null),
            http.PostAsync($"/api/operators/jobs/{accepted.JobId}/retry", null));
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.BadRequest], replies.Select(r => r.StatusCode).Order());
        JobMessage refused = (await replies.Single(r => r.StatusCode == HttpStatusCode.BadRequest).Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!;
        Assert.Equal(ErrorCodes.ValidationError, refused.Error!.Code);

        IReadOnlyList<JobMessage> pushed = await owner.WaitForAsync(accepted.JobId!, m => m.Type == MessageTypes.Completed, TimeSpan.FromSeconds(90));
        JobMessage retried = Assert.Single(pushed, m => m.Seq == failedSeq + 1);
        Assert.Equal(MessageTypes.Progress, retried.Type);
        Assert.Equal("step-2", retried.Stage);
        Assert.Equal(new CallerIdentity(Operator).OwnerId, retried.Metadata!.Value.GetProperty("retriedBy").GetString());

        // The whole history: contiguous seqs through the failure, the retry and the new run's end.
        JobMessage[] history = await owner.ResumeAsync(accepted.JobId!, 0);
        Assert.Equal(Enumerable.Range(1, history.Length).Select(i => (long)i), history.Select(m => m.Seq!.Value));
        Assert.Equal(MessageTypes.Completed, history[^1].Type);
        Assert.Single(history, m => m.Type == MessageTypes.Failed);

        // Stage 1 ran once in all; stage 2 ran its failed attempts, then once more in the one new run.
        Assert.Equal(["1"], StageStarts(history, "step-1"));
        Assert.Equal([.. Enumerable.Range(1, maxAttempts + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], StageStarts(history, "step-2"));
        Assert.Equal(["1"], StageStarts(history, "step-3"));

        // Each stage got its predecessor's output, the retried stage the output kept from the first run.
        Assert.Equal(3, history[^1].Result!.Value.GetProperty("stagesCompleted").GetInt32());

        // Resuming from the failure gives exactly what followed it.
        JobMessage[] afterFailure = await owner.ResumeAsync(accepted.JobId!, failedSeq);
        Assert.Equal(history.Where(m => m.Seq > failedSeq).Select(m => m.Seq), afterFailure.Select(m => m.Seq));
    }

    [Fact]
    public async Task Retry_JobNotFailed_AnswersValidationErrorAndChangesNothing()
    {
        await using HubClient owner = await stack.Host.ConnectAsync("retry-owner-ok");
        JobMessage accepted = await owner.SubmitAsync("retry-completed", "simulate", new { durationMs = 100, updates = 2 });
        await owner.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(60));
        JobMessage[] before = await owner.ResumeAsync(accepted.JobId!, 0);

        using HttpClient http = OperatorClient();
        HttpResponseMessage reply = await http.PostAsync($"/api/operators/jobs/{accepted.JobId}/retry", null);

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        JobMessage error = (await reply.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!;
        Assert.Equal(ErrorCodes.ValidationError, error.Error!.Code);
        Assert.Contains("completed", error.Error.Message, StringComparison.Ordinal);
        JobMessage[] after = await owner.ResumeAsync(accepted.JobId!, 0);
        Assert.Equal(before.Select(m => m.Seq), after.Select(m => m.Seq));
    }

    [Fact]
    public async Task Retry_NotAnOperatorOrUnknownJob_IsRefused()
    {
        using HttpClient user = stack.Host.CreateHttpClient("not-an-operator");
        using HttpClient anonymous = stack.Host.CreateHttpClient(user: null);
        using HttpClient http = OperatorClient();

        HttpResponseMessage forbidden = await user.PostAsync($"/api/operators/jobs/{UnknownJob}/retry", null);
        HttpResponseMessage unauthorized = await anonymous.PostAsync($"/api/operators/jobs/{UnknownJob}/retry", null);
        HttpResponseMessage notFound = await http.PostAsync($"/api/operators/jobs/{UnknownJob}/retry", null);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
    }

    private HttpClient OperatorClient()
    {
        HttpClient http = stack.Host.CreateHttpClient(user: null);
        string token = stack.Host.Services.GetRequiredService<TokenService>().Issue(Operator, null, [OperatorAccess.OperatorRole]);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The attempts of a stage's persisted stage-start messages, in order.</summary>
    private static string[] StageStarts(IEnumerable<JobMessage> history, string stage) =>
        [.. history
            .Where(m => m.Stage == stage && m.Metadata is { ValueKind: JsonValueKind.Object } metadata && metadata.TryGetProperty("attempt", out _))
            .Select(m => m.Metadata!.Value.GetProperty("attempt").GetString()!)];
}
