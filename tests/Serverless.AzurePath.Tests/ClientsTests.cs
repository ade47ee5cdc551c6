using System.Globalization;
using System.Text.Json;
using Serverless.Client;
using Serverless.Core.Security;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>The project's own clients against the Azure path: the .NET client and the command line, both through negotiate.</summary>
[Collection(AzurePathCollection.Name)]
public sealed class ClientsTests(AzurePathFixture fixture)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    private AzurePathStack Stack => fixture.Stack;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JobClient_WatchAsync_YieldsEveryMessageOnceEndingCompleted(bool messagePack)
    {
        await using JobClient client = Stack.CreateClient(messagePack ? "dotnet-msgpack-client" : "dotnet-client", messagePack: messagePack);
        using var timeout = new CancellationTokenSource(JobTimeout);

        JobMessage accepted = await client.SubmitAsync(new JobRequest
        {
            RequestId = "watch-1",
            Action = "generate_report",
            Payload = JsonSerializer.SerializeToElement(new { months = 3, paceMs = 40 }),
        }, timeout.Token);
        List<JobMessage> watched = [];
        await foreach (JobMessage message in client.WatchAsync(accepted.JobId!, 0, timeout.Token))
        {
            watched.Add(message);
        }

        Assert.Equal(Enumerable.Range(1, watched.Count).Select(i => (long)i), watched.Select(m => m.Seq!.Value));
        Assert.Equal(MessageTypes.Completed, watched[^1].Type);
        IReadOnlyList<JobMessage> persisted = await client.GetEventsAsync(accepted.JobId!, 0, timeout.Token);
        Assert.Equal(persisted.Select(m => (m.Type, m.Seq, m.At)), watched.Select(m => (m.Type, m.Seq, m.At)));
    }

    [Fact]
    public async Task Cli_SubmitWatchStatusCancelAndEventsTail_WorkThroughNegotiate()
    {
        CliRun submitted = await Cli("cli-user", "submit", "generate_report", "--payload", "{\"months\":1,\"paceMs\":0}", "--watch", "--json");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        JobMessage[] lines = [.. submitted.OutputLines.Select(line => JsonSerializer.Deserialize(line, ProtocolJson.Default.JobMessage)!)];
        string jobId = lines[0].JobId!;
        Assert.Equal(MessageTypes.Completed, lines[^1].Type);

        CliRun status = await Cli("cli-user", "status", jobId, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(JobStatus.Completed, JsonSerializer.Deserialize(status.Output, ProtocolJson.Default.JobView)!.Status);

        CliRun longJob = await Cli("cli-user", "submit", "simulate", "--payload", "{\"durationMs\":60000,\"updates\":60}", "--json");
        string longId = JsonSerializer.Deserialize(longJob.Output, ProtocolJson.Default.JobMessage)!.JobId!;
        CliRun cancel = await Cli("cli-user", "cancel", longId, "--json");
        CliRun watch = await Cli("cli-user", "watch", longId, "--json");
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal(MessageTypes.Cancelled, JsonSerializer.Deserialize(watch.OutputLines[^1], ProtocolJson.Default.JobMessage)!.Type);

        // submitted + accepted, one event per persisted message, and stage.finished for each of the report's 4 stages.
        int expected = 2 + lines.Length - 1 + 4;
        CliRun tail = await Cli("cli-user", "events", "tail", "--job", jobId, "--from-start",
            "--count", expected.ToString(CultureInfo.InvariantCulture), "--storage", Stack.Azurite.ConnectionString, "--json");
        Assert.True(tail.ExitCode == 0, tail.ToString());
        JsonElement[] events = [.. tail.OutputLines.Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal("serverless.job.submitted", events[0].GetProperty("type").GetString());
        Assert.Equal("serverless.job.completed", events[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Cli_OperatorCommands_RetryListCancelPauseAndHoldTheCircuit_OnTheFunctionsApp()
    {
        // Stage 2 fails all of its (default 3) attempts, so the job fails; the retry's attempt succeeds.
        CliRun failed = await Cli("cli-az-owner", "submit", "simulate", "--payload", "{\"stages\":2,\"failStage\":1,\"failTimes\":3,\"durationMs\":100,\"updates\":2}", "--watch", "--json");
        Assert.Equal(1, failed.ExitCode);
        string failedId = JsonSerializer.Deserialize(failed.OutputLines[0], ProtocolJson.Default.JobMessage)!.JobId!;
        CliRun retry = await OperatorCli("operator", "retry", failedId, "--json");
        CliRun retried = await Cli("cli-az-owner", "watch", failedId, "--json");

        CliRun running = await Cli("cli-az-owner", "submit", "simulate", "--payload", "{\"durationMs\":30000,\"updates\":300,\"stages\":2}", "--json");
        string runningId = JsonSerializer.Deserialize(running.OutputLines[0], ProtocolJson.Default.JobMessage)!.JobId!;
        CliRun jobs = await OperatorCli("operator", "jobs", "--owner", "cli-az-owner", "--since", "1h", "--json");
        CliRun cancel = await OperatorCli("operator", "cancel", runningId, "--json");
        CliRun cancelled = await Cli("cli-az-owner", "watch", runningId, "--json");
        CliRun pause = await OperatorCli("operator", "pause", "echo", "--json");
        CliRun refused = await Cli("cli-az-owner", "submit", "echo", "--payload", "{}", "--json");
        CliRun resume = await OperatorCli("operator", "resume", "echo", "--json");
        CliRun hold = await OperatorCli("operator", "push-circuit", "closed", "--minutes", "1", "--json");
        CliRun automatic = await OperatorCli("operator", "push-circuit", "automatic", "--json");
        CliRun notOperator = await Cli("cli-az-owner", "operator", "pause", "echo", "--json");

        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Equal(JobStatus.Queued, JsonSerializer.Deserialize(retry.Output, ProtocolJson.Default.JobMessage)!.Status);
        Assert.True(retried.ExitCode == 0, retried.ToString());
        Assert.Equal(MessageTypes.Completed, JsonSerializer.Deserialize(retried.OutputLines[^1], ProtocolJson.Default.JobMessage)!.Type);
        Assert.True(jobs.ExitCode == 0, jobs.ToString());
        OperatorJobView[] listed = [.. JsonSerializer.Deserialize(jobs.Output, ProtocolJson.Default.OperatorJobList)!.Jobs];
        Assert.Equal([runningId, failedId], listed.Select(j => j.Job.JobId));
        Assert.All(listed, j => Assert.Equal("cli-az-owner", j.Owner));
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        JobMessage end = JsonSerializer.Deserialize(cancelled.OutputLines[^1], ProtocolJson.Default.JobMessage)!;
        Assert.Equal(MessageTypes.Cancelled, end.Type);
        Assert.Contains("cli-az-operator", end.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(["echo"], JsonSerializer.Deserialize(pause.Output, ProtocolJson.Default.OperatorControlsView)!.PausedActions);
        Assert.Equal(ErrorCodes.ServiceUnavailable, JsonSerializer.Deserialize(refused.Output, ProtocolJson.Default.JobMessage)!.Error!.Code);
        Assert.Empty(JsonSerializer.Deserialize(resume.Output, ProtocolJson.Default.OperatorControlsView)!.PausedActions);
        Assert.Equal("closed", JsonSerializer.Deserialize(hold.Output, ProtocolJson.Default.OperatorControlsView)!.PushCircuit!.State);
        Assert.Null(JsonSerializer.Deserialize(automatic.Output, ProtocolJson.Default.OperatorControlsView)!.PushCircuit);
        Assert.Equal(3, notOperator.ExitCode);
    }

    private Task<CliRun> Cli(string user, params string[] args) =>
        CliRun.StartAsync([.. args, "--url", Stack.BaseAddress.ToString(), "--token", Stack.TokenFor(user)]);

    private Task<CliRun> OperatorCli(params string[] args) =>
        CliRun.StartAsync([.. args, "--url", Stack.BaseAddress.ToString(), "--token", Stack.TokenFor("cli-az-operator", roles: [OperatorAccess.OperatorRole])]);
}
