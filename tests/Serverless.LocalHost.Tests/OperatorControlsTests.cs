using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Security;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>The operators' controls (<c>/api/operators/...</c>) on the local host: cancel any job, pause intake, hold the push circuit, list any job.</summary>
[Collection(StackCollection.Name)]
public sealed class OperatorControlsTests(LocalStackFixture stack)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OperatorRoutes_WithoutTokenOrOperatorRole_Answer401And403()
    {
        using HttpClient anonymous = stack.Host.CreateHttpClient(user: null);
        using HttpClient user = stack.Host.CreateHttpClient("not-an-operator");

        foreach ((HttpMethod method, string path) in OperatorHttp.Routes)
        {
            using HttpResponseMessage unauthorized = await anonymous.SendAsync(OperatorHttp.Request(method, path));
            using HttpResponseMessage forbidden = await user.SendAsync(OperatorHttp.Request(method, path));

            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Equal(ErrorCodes.Unauthorized, (await OperatorHttp.ErrorOfAsync(forbidden)).Code);
        }
    }

    [Fact]
    public async Task Cancel_AnotherUsersRunningJob_OwnerGetsCancelledNamingTheOperator()
    {
        using HttpClient operators = OperatorClient(stack.Host, "ops-cancel");
        using HttpClient ownerHttp = stack.Host.CreateHttpClient("cancel-owner");
        await using HubClient owner = await stack.Host.ConnectAsync("cancel-owner");
        JobMessage accepted = await owner.SubmitAsync("op-cancel-1", "simulate", new { durationMs = 30000, updates = 300, stages = 2 });
        await owner.WaitForAsync(accepted.JobId!, m => m.Type == MessageTypes.Progress, JobTimeout);

        using HttpResponseMessage requested = await operators.PostAsync($"/api/operators/jobs/{accepted.JobId}/cancel", null);
        IReadOnlyList<JobMessage> pushed = await owner.WaitForTerminalAsync(accepted.JobId!, JobTimeout);
        JobMessage[] history = (await ownerHttp.GetFromJsonAsync($"/api/jobs/{accepted.JobId}/events", ProtocolJson.Default.JobMessageArray))!;
        using HttpResponseMessage again = await operators.PostAsync($"/api/operators/jobs/{accepted.JobId}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        JobMessage cancelled = pushed[^1];
        Assert.Equal(MessageTypes.Cancelled, cancelled.Type);
        Assert.Equal(ErrorCodes.Cancelled, cancelled.Error!.Code);
        Assert.Equal("ops-cancel", cancelled.Error.Details!.Value.GetProperty("cancelledBy").GetString());
        Assert.Equal(cancelled.Seq, history[^1].Seq);
        Assert.Equal("ops-cancel", history[^1].Error!.Details!.Value.GetProperty("cancelledBy").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Cancel_UnknownOrMalformedJob_NotFoundOrValidationError()
    {
        using HttpClient operators = OperatorClient(stack.Host, "ops-unknown");

        using HttpResponseMessage unknown = await operators.PostAsync($"/api/operators/jobs/j0000000000000000000000000000000/cancel", null);
        using HttpResponseMessage malformed = await operators.PostAsync("/api/operators/jobs/not%20a%20job/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(ErrorCodes.NotFound, (await OperatorHttp.ErrorOfAsync(unknown)).Code);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await OperatorHttp.ErrorOfAsync(malformed)).Code);
    }

    [Fact]
    public async Task Pause_RefusesNewSubmitsOverHttpAndHub_ShowsInHealth_HoldsOnAnotherInstance_ResumeAcceptsAgain()
    {
        using HttpClient operators = OperatorClient(stack.Host, "ops-pause");
        using HttpClient user = stack.Host.CreateHttpClient("pause-user");
        await using HubClient hub = await stack.Host.ConnectAsync("pause-user");
        await using LocalHostInstance other = await stack.StartHostAsync(new Dictionary<string, string?>
        {
            ["Storage:OperatorControlsTable"] = stack.Host.Settings["Storage:OperatorControlsTable"],
        });
        using HttpClient otherUser = other.CreateHttpClient("pause-user");

        OperatorControlsView paused = await OperatorHttp.ControlsOfAsync(await operators.PostAsync("/api/operators/actions/echo/pause", null));
        HttpResponseMessage refused, refusedElsewhere, otherAction;
        JobMessage refusedOnHub;
        HealthReport health;
        try
        {
            refused = await user.PostAsJsonAsync("/api/jobs", new { requestId = "paused-1", action = "echo", payload = new { } });
            refusedOnHub = await hub.SubmitAsync("paused-2", "echo", new { });
            refusedElsewhere = await otherUser.PostAsJsonAsync("/api/jobs", new { requestId = "paused-3", action = "echo", payload = new { } });
            otherAction = await user.PostAsJsonAsync("/api/jobs", new { requestId = "paused-4", action = "health", payload = new { } });
            health = (await user.GetFromJsonAsync("/api/health", ProtocolJson.Default.HealthReport))!;
        }
        finally
        {
            await operators.PostAsync("/api/operators/actions/echo/resume", null);
        }

        using HttpResponseMessage accepted = await user.PostAsJsonAsync("/api/jobs", new { requestId = "paused-5", action = "echo", payload = new { } });
        HealthReport resumedHealth = (await user.GetFromJsonAsync("/api/health", ProtocolJson.Default.HealthReport))!;
        using HttpResponseMessage unknown = await operators.PostAsync("/api/operators/actions/no_such_action/pause", null);

        Assert.Equal(["echo"], paused.PausedActions);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        JobError error = await OperatorHttp.ErrorOfAsync(refused);
        Assert.Equal(ErrorCodes.ServiceUnavailable, error.Code);
        Assert.True(error.Retryable);
        Assert.True(error.RetryAfterMs > 0);
        Assert.Equal(ErrorCodes.ServiceUnavailable, refusedOnHub.Error!.Code);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedElsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherAction.StatusCode);
        DependencyHealth intake = Assert.Single(health.Dependencies, d => d.Name == "intake");
        Assert.Equal(HealthStatus.Yellow, intake.Status);
        Assert.Contains("echo", intake.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HealthStatus.Green, resumedHealth.Dependencies.Single(d => d.Name == "intake").Status);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(ErrorCodes.UnknownAction, (await OperatorHttp.ErrorOfAsync(unknown)).Code);
    }

    [Fact]
    public async Task PushCircuit_HeldOpen_PushesStopWhileHistoryStaysComplete_AutomaticRestoresPushes()
    {
        await using LocalHostInstance host = await stack.StartHostAsync();
        using HttpClient operators = OperatorClient(host, "ops-circuit");
        await using HubClient owner = await host.ConnectAsync("circuit-owner");

        OperatorControlsView held = await OperatorHttp.ControlsOfAsync(await OperatorHttp.PostJsonAsync(operators, "/api/operators/push-circuit", """{"state":"open","minutes":1}"""));
        HealthReport health = (await operators.GetFromJsonAsync("/api/health", ProtocolJson.Default.HealthReport))!;
        JobMessage whileOpen = await owner.SubmitAsync("circuit-1", "simulate", new { durationMs = 300, updates = 5 });
        JobMessage[] history = await WaitForHistoryAsync(owner, whileOpen.JobId!);
        OperatorControlsView automatic = await OperatorHttp.ControlsOfAsync(await OperatorHttp.PostJsonAsync(operators, "/api/operators/push-circuit", """{"state":"automatic"}"""));
        JobMessage afterwards = await owner.SubmitAsync("circuit-2", "simulate", new { durationMs = 300, updates = 5 });
        IReadOnlyList<JobMessage> pushed = await owner.WaitForTerminalAsync(afterwards.JobId!, JobTimeout);

        Assert.Equal("open", held.PushCircuit!.State);
        Assert.Equal("ops-circuit", held.PushCircuit.Operator);
        DependencyHealth push = health.Dependencies.Single(d => d.Name == "push");
        Assert.Equal(HealthStatus.Yellow, push.Status);
        Assert.Contains("held by operator ops-circuit", push.Detail, StringComparison.Ordinal);
        Assert.Equal(MessageTypes.Completed, history[^1].Type);
        Assert.DoesNotContain(owner.Received, m => m.JobId == whileOpen.JobId);
        Assert.Null(automatic.PushCircuit);
        Assert.Equal(MessageTypes.Completed, pushed[^1].Type);
    }

    [Theory]
    [InlineData("""{"state":"half","minutes":1}""")]
    [InlineData("""{"state":"open","minutes":0}""")]
    [InlineData("""{"state":"open","minutes":100000}""")]
    [InlineData("""{"state":"closed"}""")]
    [InlineData("not json")]
    public async Task PushCircuit_BadBody_ValidationError_NothingChanges(string body)
    {
        using HttpClient operators = OperatorClient(stack.Host, "ops-bad-circuit");

        using HttpResponseMessage reply = await OperatorHttp.PostJsonAsync(operators, "/api/operators/push-circuit", body);
        OperatorControlsView controls = (await operators.GetFromJsonAsync("/api/operators/controls", ProtocolJson.Default.OperatorControlsView))!;

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await OperatorHttp.ErrorOfAsync(reply)).Code);
        Assert.Null(controls.PushCircuit);
    }

    [Fact]
    public async Task List_AnyUsersJobs_FilteredByUserActionStatusAndTime()
    {
        using HttpClient operators = OperatorClient(stack.Host, "ops-list");
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);
        string first = await SubmitAndFinishAsync("list-user-a", "list-a-1");
        string second = await SubmitAndFinishAsync("list-user-b", "list-b-1");

        OperatorJobList ofA = await ListAsync(operators, "?user=list-user-a");
        OperatorJobList everyone = await ListAsync(operators, $"?action=simulate&status=completed&from={Uri.EscapeDataString(before.ToString("O"))}&limit=100");
        OperatorJobList tooLate = await ListAsync(operators, $"?user=list-user-b&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}");
        OperatorJobList failedOnly = await ListAsync(operators, "?user=list-user-b&status=failed");

        OperatorJobView a = Assert.Single(ofA.Jobs);
        Assert.Equal(("list-user-a", first), (a.Owner, a.Job.JobId));
        Assert.True(ofA.Complete);
        Assert.Contains(everyone.Jobs, j => j.Job.JobId == first && j.Owner == "list-user-a");
        Assert.Contains(everyone.Jobs, j => j.Job.JobId == second && j.Owner == "list-user-b");
        Assert.All(everyone.Jobs, j => Assert.Equal(("simulate", JobStatus.Completed), (j.Job.Action, j.Job.Status)));
        Assert.True(everyone.Jobs.Zip(everyone.Jobs.Skip(1)).All(pair => pair.First.Job.CreatedAt >= pair.Second.Job.CreatedAt));
        Assert.Empty(tooLate.Jobs);
        Assert.Empty(failedOnly.Jobs);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=101")]
    [InlineData("?status=sleeping")]
    [InlineData("?from=yesterday")]
    [InlineData("?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")]
    [InlineData("?action=no%20spaces")]
    [InlineData("?user=%01")]
    public async Task List_BadFilter_ValidationError(string query)
    {
        using HttpClient operators = OperatorClient(stack.Host, "ops-bad-list");

        using HttpResponseMessage reply = await operators.GetAsync("/api/operators/jobs" + query);

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await OperatorHttp.ErrorOfAsync(reply)).Code);
    }

    private async Task<string> SubmitAndFinishAsync(string user, string requestId)
    {
        await using HubClient owner = await stack.Host.ConnectAsync(user);
        JobMessage accepted = await owner.SubmitAsync(requestId, "simulate", new { durationMs = 200, updates = 2, stages = 1 });
        await owner.WaitForTerminalAsync(accepted.JobId!, JobTimeout);
        return accepted.JobId!;
    }

    private static HttpClient OperatorClient(LocalHostInstance host, string user)
    {
        HttpClient client = host.CreateHttpClient(user: null);
        string token = host.Services.GetRequiredService<TokenService>().Issue(user, null, [OperatorAccess.OperatorRole]);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JobMessage[]> WaitForHistoryAsync(HubClient owner, string jobId)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        JobMessage[] history;
        do
        {
            await Task.Delay(200, timeout.Token);
            history = await owner.ResumeAsync(jobId, 0);
        }
        while (history.Length == 0 || !MessageTypes.IsTerminal(history[^1].Type));
        return history;
    }

    private static async Task<OperatorJobList> ListAsync(HttpClient operators, string query) =>
        (await operators.GetFromJsonAsync("/api/operators/jobs" + query, ProtocolJson.Default.OperatorJobList))!;
}
