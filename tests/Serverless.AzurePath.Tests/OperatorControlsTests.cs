using System.Net;
using System.Net.Http.Json;
using System.Text;
using Serverless.Core.Security;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// The operators' controls on the Azure path, the Functions app in the real Functions host behind the SignalR Service
/// emulator: cancel another user's job, pause intake (HTTP and upstream submits), hold the push circuit, list any job.
/// </summary>
[Collection(AzurePathCollection.Name)]
public sealed class OperatorControlsTests(AzurePathFixture fixture)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    private AzurePathStack Stack => fixture.Stack;

    [Fact]
    public async Task OperatorRoutes_WithoutTokenOrOperatorRole_Answer401And403()
    {
        using HttpClient anonymous = Stack.CreateHttpClient(user: null);
        using HttpClient user = Stack.CreateHttpClient("azure-not-ops");

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
    public async Task Cancel_AnotherUsersRunningJob_OwnerGetsCancelledNamingTheOperator_UnknownIsNotFound()
    {
        using HttpClient operators = OperatorClient("azure-ops-cancel");
        using HttpClient ownerHttp = Stack.CreateHttpClient("azure-cancel-owner");
        await using HubClient owner = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor("azure-cancel-owner"));
        JobMessage accepted = await owner.SubmitAsync("azure-op-cancel-1", "simulate", new { durationMs = 60000, updates = 600, stages = 2 });
        await owner.WaitForAsync(accepted.JobId!, m => m.Type == MessageTypes.Progress, JobTimeout);

        using HttpResponseMessage requested = await operators.PostAsync(new Uri($"api/operators/jobs/{accepted.JobId}/cancel", UriKind.Relative), null);
        IReadOnlyList<JobMessage> pushed = await owner.WaitForTerminalAsync(accepted.JobId!, JobTimeout);
        JobMessage[] history = (await ownerHttp.GetFromJsonAsync($"api/jobs/{accepted.JobId}/events", ProtocolJson.Default.JobMessageArray))!;
        using HttpResponseMessage unknown = await operators.PostAsync(new Uri("api/operators/jobs/j0000000000000000000000000000000/cancel", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        Assert.Equal(MessageTypes.Cancelled, pushed[^1].Type);
        Assert.Equal("azure-ops-cancel", pushed[^1].Error!.Details!.Value.GetProperty("cancelledBy").GetString());
        Assert.Equal((MessageTypes.Cancelled, pushed[^1].Seq), (history[^1].Type, history[^1].Seq));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(ErrorCodes.NotFound, (await OperatorHttp.ErrorOfAsync(unknown)).Code);
    }

    [Fact]
    public async Task Pause_RefusesNewSubmitsOverHttpAndUpstream_ShowsInHealth_ResumeAcceptsAgain()
    {
        using HttpClient operators = OperatorClient("azure-ops-pause");
        using HttpClient user = Stack.CreateHttpClient("azure-pause-user");
        await using HubClient hub = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor("azure-pause-user"));

        OperatorControlsView paused = await OperatorHttp.ControlsOfAsync(await operators.PostAsync(new Uri("api/operators/actions/echo/pause", UriKind.Relative), null));
        HttpResponseMessage refused;
        JobMessage refusedUpstream;
        HealthReport health;
        try
        {
            refused = await user.PostAsJsonAsync("api/jobs", new { requestId = "azure-paused-1", action = "echo", payload = new { } });
            refusedUpstream = await hub.SubmitAsync("azure-paused-2", "echo", new { });
            health = (await user.GetFromJsonAsync("api/health", ProtocolJson.Default.HealthReport))!;
        }
        finally
        {
            await operators.PostAsync(new Uri("api/operators/actions/echo/resume", UriKind.Relative), null);
        }

        using HttpResponseMessage accepted = await user.PostAsJsonAsync("api/jobs", new { requestId = "azure-paused-3", action = "echo", payload = new { } });
        using HttpResponseMessage unknown = await operators.PostAsync(new Uri("api/operators/actions/no_such_action/pause", UriKind.Relative), null);

        Assert.Equal(["echo"], paused.PausedActions);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        JobError error = await OperatorHttp.ErrorOfAsync(refused);
        Assert.Equal((ErrorCodes.ServiceUnavailable, true), (error.Code, error.Retryable));
        Assert.True(error.RetryAfterMs > 0);
        Assert.Equal(ErrorCodes.ServiceUnavailable, refusedUpstream.Error!.Code);
        DependencyHealth intake = Assert.Single(health.Dependencies, d => d.Name == "intake");
        Assert.Equal(HealthStatus.Yellow, intake.Status);
        Assert.Contains("echo", intake.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(ErrorCodes.UnknownAction, (await OperatorHttp.ErrorOfAsync(unknown)).Code);
    }

    [Fact]
    public async Task PushCircuit_HeldOpen_PushesStopWhileHistoryStaysComplete_ShowsInHealth_AutomaticHandsItBack()
    {
        using HttpClient operators = OperatorClient("azure-ops-circuit");
        await using HubClient owner = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor("azure-circuit-owner"));

        using HttpResponseMessage bad = await OperatorHttp.PostJsonAsync(operators, "api/operators/push-circuit", """{"state":"open","minutes":0}""");
        OperatorControlsView held = await OperatorHttp.ControlsOfAsync(await OperatorHttp.PostJsonAsync(operators, "api/operators/push-circuit", """{"state":"open","minutes":1}"""));
        HealthReport health;
        OperatorControlsView automatic;
        JobMessage whileOpen;
        try
        {
            health = (await operators.GetFromJsonAsync("api/health", ProtocolJson.Default.HealthReport))!;
            whileOpen = await owner.SubmitAsync("azure-circuit-1", "simulate", new { durationMs = 300, updates = 5 });
            await Stack.WaitForJobAsync("azure-circuit-owner", whileOpen.JobId!, j => JobStatus.IsTerminal(j.Status), JobTimeout);
        }
        finally
        {
            automatic = await OperatorHttp.ControlsOfAsync(await OperatorHttp.PostJsonAsync(operators, "api/operators/push-circuit", """{"state":"automatic"}"""));
        }

        Assert.Equal(ErrorCodes.ValidationError, (await OperatorHttp.ErrorOfAsync(bad)).Code);
        Assert.Equal(("open", "azure-ops-circuit"), (held.PushCircuit!.State, held.PushCircuit.Operator));
        DependencyHealth push = health.Dependencies.Single(d => d.Name == "push");
        Assert.Equal(HealthStatus.Yellow, push.Status);
        Assert.Contains("held by operator azure-ops-circuit", push.Detail, StringComparison.Ordinal);
        Assert.Null(automatic.PushCircuit);
        Assert.DoesNotContain(owner.Received, m => m.JobId == whileOpen.JobId);
        Assert.Equal(MessageTypes.Completed, (await owner.ResumeAsync(whileOpen.JobId!, 0))[^1].Type);
    }

    [Fact]
    public async Task List_AnyUsersJobs_FilteredByUserAndStatus_BadLimitIsValidationError()
    {
        using HttpClient operators = OperatorClient("azure-ops-list");
        using HttpClient owner = Stack.CreateHttpClient("azure-list-user");
        using HttpResponseMessage submitted = await owner.PostAsJsonAsync("api/jobs", new { requestId = "azure-list-1", action = "simulate", payload = new { durationMs = 200, updates = 2, stages = 1 } });
        string jobId = (await submitted.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.JobId!;
        await Stack.WaitForJobAsync("azure-list-user", jobId, j => JobStatus.IsTerminal(j.Status), JobTimeout);

        OperatorJobList ofUser = (await operators.GetFromJsonAsync("api/operators/jobs?user=azure-list-user&status=completed", ProtocolJson.Default.OperatorJobList))!;
        OperatorJobList everyone = (await operators.GetFromJsonAsync("api/operators/jobs?action=simulate&limit=100", ProtocolJson.Default.OperatorJobList))!;
        using HttpResponseMessage bad = await operators.GetAsync(new Uri("api/operators/jobs?limit=1000", UriKind.Relative));

        OperatorJobView only = Assert.Single(ofUser.Jobs);
        Assert.Equal(("azure-list-user", jobId, JobStatus.Completed), (only.Owner, only.Job.JobId, only.Job.Status));
        Assert.Contains(everyone.Jobs, j => j.Job.JobId == jobId);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(ErrorCodes.ValidationError, (await OperatorHttp.ErrorOfAsync(bad)).Code);
    }

    private HttpClient OperatorClient(string user)
    {
        HttpClient client = Stack.CreateHttpClient(user: null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", Stack.TokenFor(user, roles: [OperatorAccess.OperatorRole]));
        return client;
    }
}
