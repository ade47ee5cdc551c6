using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Core.Security;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// <c>POST /api/operators/jobs/{id}/retry</c> in the real Functions host: a failed job runs again from its failed stage
/// as a new orchestration, its owner told through the SignalR Service emulator.
/// </summary>
[Collection(AzurePathCollection.Name)]
public sealed class OperatorRetryTests(AzurePathFixture fixture)
{
    // The app's Jobs:MaxAttempts (default).
    private const int MaxAttempts = 3;
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    private AzurePathStack Stack => fixture.Stack;

    [Fact]
    public async Task Retry_FailedInStage2_RunsFromStage2OnceWithSeqContinuing()
    {
        await using HubClient owner = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor("az-retry-owner"));
        JobMessage accepted = await owner.SubmitAsync(
            "az-retry-stage2", "simulate", new { stages = 3, failStage = 1, failTimes = MaxAttempts, durationMs = 300, updates = 6 });
        IReadOnlyList<JobMessage> firstRun = await owner.WaitForTerminalAsync(accepted.JobId!, JobTimeout);
        Assert.Equal(MessageTypes.Failed, firstRun[^1].Type);
        long failedSeq = firstRun[^1].Seq!.Value;

        using HttpClient user = Stack.CreateHttpClient("az-retry-owner");
        using HttpResponseMessage forbidden = await user.PostAsync(RetryRoute(accepted.JobId!), null);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using HttpClient http = Stack.CreateHttpClient(user: null);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Stack.TokenFor("az-ops", roles: [OperatorAccess.OperatorRole]));
        HttpResponseMessage[] replies = await Task.WhenAll(http.PostAsync(RetryRoute(accepted.JobId!), null), http.PostAsync(RetryRoute(accepted.JobId!), null));
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.BadRequest], replies.Select(r => r.StatusCode).Order());

        IReadOnlyList<JobMessage> pushed = await owner.WaitForAsync(accepted.JobId!, m => m.Type == MessageTypes.Completed, JobTimeout);
        JobMessage retried = Assert.Single(pushed, m => m.Seq == failedSeq + 1);
        Assert.Equal(new CallerIdentity("az-ops").OwnerId, retried.Metadata!.Value.GetProperty("retriedBy").GetString());

        JobMessage[] history = await owner.ResumeAsync(accepted.JobId!, 0);
        Assert.Equal(Enumerable.Range(1, history.Length).Select(i => (long)i), history.Select(m => m.Seq!.Value));
        Assert.Equal(MessageTypes.Completed, history[^1].Type);
        Assert.Equal(["1"], StageStarts(history, "step-1"));
        Assert.Equal([.. Enumerable.Range(1, MaxAttempts + 1).Select(i => i.ToString(CultureInfo.InvariantCulture))], StageStarts(history, "step-2"));
        Assert.Equal(3, history[^1].Result!.Value.GetProperty("stagesCompleted").GetInt32());

        // Not failed any more: a further retry changes nothing.
        using HttpResponseMessage again = await http.PostAsync(RetryRoute(accepted.JobId!), null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await again.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!.Code);
        Assert.Equal(history.Length, (await owner.ResumeAsync(accepted.JobId!, 0)).Length);
    }

    private static Uri RetryRoute(string jobId) => new($"api/operators/jobs/{jobId}/retry", UriKind.Relative);

    private static string[] StageStarts(IEnumerable<JobMessage> history, string stage) =>
        [.. history
            .Where(m => m.Stage == stage && m.Metadata is { ValueKind: JsonValueKind.Object } metadata && metadata.TryGetProperty("attempt", out _))
            .Select(m => m.Metadata!.Value.GetProperty("attempt").GetString()!)];
}
