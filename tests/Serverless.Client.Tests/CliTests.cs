using System.Text.Json;
using Serverless.Client.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Client.Tests;

/// <summary>The <c>serverless</c> CLI run in-process through its entry point against the real local stack.</summary>
[Collection(StackCollection.Name)]
public sealed class CliTests(LocalStackFixture stack)
{
    private string[] Args(string user, params string[] args) => [.. args, "--url", stack.Host.BaseAddress.ToString(), "--user", user];

    [Fact]
    public async Task SubmitWatchJson_GenerateReport_ExitsZeroAndPrintsTheCompletedResult()
    {
        CliRun run = await CliRun.StartAsync(Args("cli-submit", "submit", "generate_report", "--payload", "{\"months\":2,\"paceMs\":10}", "--watch", "--json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        JobMessage[] lines = [.. run.OutputLines.Select(line => JsonSerializer.Deserialize(line, ProtocolJson.Default.JobMessage)!)];
        Assert.Equal(MessageTypes.Accepted, lines[0].Type);
        Assert.Equal(MessageTypes.Completed, lines[^1].Type);
        Assert.Equal(2 * 4 * 3, lines[^1].Result!.Value.GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task SubmitWatch_ForPeople_ShowsStagesAndTheResult()
    {
        CliRun run = await CliRun.StartAsync(Args("cli-people", "submit", "generate_report", "--payload", "{\"months\":1,\"paceMs\":0}", "--watch"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("completed", run.Output, StringComparison.Ordinal);
        Assert.Contains("see 'serverless export'", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportCsv_CompletedReport_PrintsCsvLines()
    {
        CliRun submitted = await CliRun.StartAsync(Args("cli-export", "submit", "generate_report", "--payload", "{\"months\":3,\"paceMs\":0}", "--watch", "--json"));
        string jobId = JsonSerializer.Deserialize(submitted.OutputLines[0], ProtocolJson.Default.JobMessage)!.JobId!;

        CliRun csv = await CliRun.StartAsync(Args("cli-export", "export", jobId, "--format", "csv"));
        CliRun summary = await CliRun.StartAsync(Args("cli-export", "export", jobId, "--format", "json"));

        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal("month,units,revenue", csv.OutputLines[0]);
        Assert.Equal(1 + 3, csv.OutputLines.Length);
        Assert.All(csv.OutputLines.Skip(1), line => Assert.Matches(@"^\d{4}-\d{2},\d+,\d+\.\d{2}$", line));
        using var document = JsonDocument.Parse(summary.Output);
        Assert.False(document.RootElement.TryGetProperty("csv", out _));
        Assert.Equal(36, document.RootElement.GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task Status_UnknownJob_ExitsOneWithNotFound()
    {
        CliRun run = await CliRun.StartAsync(Args("cli-status", "status", "nosuchjob123", "--json"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(ErrorCodes.NotFound, JsonSerializer.Deserialize(run.Output, ProtocolJson.Default.JobMessage)!.Error!.Code);
    }

    [Fact]
    public async Task DoctorJson_RunningStack_ReportsEveryCheck()
    {
        CliRun run = await CliRun.StartAsync(Args("cli-doctor", "doctor", "--json", "--storage", stack.Azurite.ConnectionString));

        using var document = JsonDocument.Parse(run.Output);
        Dictionary<string, string> checks = document.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(document.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("green", checks["settings"]);
        Assert.Equal("green", checks["host"]);
        Assert.Equal("green", checks["storage table"]);
        Assert.Equal("green", checks["signalr"]);
        Assert.Contains(checks["durable backend"], new[] { "green", "yellow" });
    }

    [Fact]
    public async Task DoctorJson_NothingRunning_FailsWithFixHints()
    {
        int port = FreePort.Next(); // reserved for this test process: nothing listens on it

        CliRun run = await CliRun.StartAsync("doctor", "--json", "--url", $"http://127.0.0.1:{port}", "--storage",
            $"BlobEndpoint=http://127.0.0.1:{port}/a;QueueEndpoint=http://127.0.0.1:{port}/a;TableEndpoint=http://127.0.0.1:{port}/a");

        Assert.Equal(1, run.ExitCode);
        using var document = JsonDocument.Parse(run.Output);
        JsonElement host = document.RootElement.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("name").GetString() == "host");
        Assert.Equal("red", host.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(host.GetProperty("fix").GetString()));
    }

    [Fact]
    public async Task LoadJson_EchoFiveClientsTwoJobs_ReportsFullSuccess()
    {
        CliRun run = await CliRun.StartAsync(Args("cli-load", "load", "--clients", "5", "--jobs", "2", "--action", "echo", "--payload", "{\"n\":1}", "--json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        Assert.Equal(10, document.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(100, document.RootElement.GetProperty("successRate").GetDouble());
        Assert.True(document.RootElement.GetProperty("ackMs").GetProperty("p99").GetDouble() > 0);
    }

    [Fact]
    public async Task TokenJson_DevelopmentHost_IssuesAToken()
    {
        CliRun run = await CliRun.StartAsync(Args("cli-token", "token", "--json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        Assert.Equal("cli-token", document.RootElement.GetProperty("user").GetString());
        Assert.Equal(3, document.RootElement.GetProperty("token").GetString()!.Split('.').Length);
    }

    [Fact]
    public async Task ListAndCancel_Json_ShowTheCallersJobs()
    {
        CliRun submitted = await CliRun.StartAsync(Args("cli-list", "submit", "simulate", "--payload", "{\"durationMs\":20000}", "--json"));
        string jobId = JsonSerializer.Deserialize(submitted.Output, ProtocolJson.Default.JobMessage)!.JobId!;

        CliRun cancel = await CliRun.StartAsync(Args("cli-list", "cancel", jobId, "--json"));
        CliRun watch = await CliRun.StartAsync(Args("cli-list", "watch", jobId, "--json"));
        CliRun list = await CliRun.StartAsync(Args("cli-list", "list", "--limit", "5", "--json"));

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal(1, watch.ExitCode);
        Assert.Equal(MessageTypes.Cancelled, JsonSerializer.Deserialize(watch.OutputLines[^1], ProtocolJson.Default.JobMessage)!.Type);
        Assert.Contains(JsonSerializer.Deserialize(list.Output, ProtocolJson.Default.JobViewArray)!, job => job.JobId == jobId);
    }

    [Fact]
    public async Task EventsTailJson_FinishedJob_ShowsItsWholeLifecycleInOrder_FromTheOutbox()
    {
        CliRun submitted = await CliRun.StartAsync(Args("cli-events", "submit", "generate_report", "--payload", "{\"months\":1,\"paceMs\":0}", "--watch", "--json"));
        string jobId = JsonSerializer.Deserialize(submitted.OutputLines[0], ProtocolJson.Default.JobMessage)!.JobId!;
        await using JobClient client = stack.Host.CreateClient("cli-events");
        IReadOnlyList<JobMessage> history = await client.GetEventsAsync(jobId);

        // submitted + accepted, one event per persisted message, and stage.finished for each of the 4 stages.
        int expected = 2 + history.Count + 4;
        CliRun tail = await CliRun.StartAsync(Args(
            "cli-events", "events", "tail", "--job", jobId, "--from-start", "--count", expected.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--storage", stack.Azurite.ConnectionString, "--outbox-table", stack.Host.OutboxTable, "--json"));

        Assert.True(tail.ExitCode == 0, tail.ToString());
        JsonElement[] events = [.. tail.OutputLines.Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal(expected, events.Length);
        Assert.All(events, e => Assert.Equal(jobId, e.GetProperty("subject").GetString()));
        Assert.Equal(expected, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal("serverless.job.submitted", events[0].GetProperty("type").GetString());
        Assert.Equal("serverless.job.accepted", events[1].GetProperty("type").GetString());
        Assert.Equal("serverless.job.completed", events[^1].GetProperty("type").GetString());
        Assert.Equal(4, events.Count(e => e.GetProperty("type").GetString() == "serverless.job.stage.finished"));
        long[] seqs = [.. events.Where(e => e.TryGetProperty("seq", out _)).Select(e => e.GetProperty("seq").GetInt64())];
        Assert.Equal(history.Select(m => m.Seq!.Value), seqs.Distinct());
    }

    [Fact]
    public async Task OperatorRetry_FailedJob_RunsItAgainToCompletion_AndTheEventNamesTheOperator()
    {
        // Stage 2 fails all of its (default 3) attempts, so the job fails; the retry's attempt succeeds.
        CliRun submitted = await CliRun.StartAsync(Args(
            "cli-retry-owner", "submit", "simulate", "--payload", "{\"stages\":2,\"failStage\":1,\"failTimes\":3,\"durationMs\":100,\"updates\":2}", "--watch", "--json"));
        Assert.Equal(1, submitted.ExitCode);
        string jobId = JsonSerializer.Deserialize(submitted.OutputLines[0], ProtocolJson.Default.JobMessage)!.JobId!;

        CliRun retry = await CliRun.StartAsync(Args("cli-ops", "operator", "retry", jobId, "--json"));
        CliRun watch = await CliRun.StartAsync(Args("cli-retry-owner", "watch", jobId, "--json"));
        CliRun again = await CliRun.StartAsync(Args("cli-ops", "operator", "retry", jobId, "--json"));
        CliRun forPeople = await CliRun.StartAsync(Args("cli-ops", "operator", "retry", jobId));

        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Equal(JobStatus.Queued, JsonSerializer.Deserialize(retry.Output, ProtocolJson.Default.JobMessage)!.Status);
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Equal(MessageTypes.Completed, JsonSerializer.Deserialize(watch.OutputLines[^1], ProtocolJson.Default.JobMessage)!.Type);
        Assert.Equal(2, again.ExitCode);
        Assert.Equal(ErrorCodes.ValidationError, JsonSerializer.Deserialize(again.Output, ProtocolJson.Default.JobMessage)!.Error!.Code);
        Assert.Contains("is completed", forPeople.Output, StringComparison.Ordinal);

        // submitted + accepted, one event per persisted message (the retry's included), and stage.finished for each of
        // the 5 stage attempts (stage 1 once, stage 2 three failed and one more after the retry).
        await using JobClient client = stack.Host.CreateClient("cli-retry-owner");
        int expected = 2 + (await client.GetEventsAsync(jobId)).Count + 5;
        CliRun tail = await CliRun.StartAsync(Args(
            "cli-ops", "events", "tail", "--job", jobId, "--from-start", "--count", expected.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--storage", stack.Azurite.ConnectionString, "--outbox-table", stack.Host.OutboxTable, "--json"));
        Assert.True(tail.ExitCode == 0, tail.ToString());
        JsonElement retried = Assert.Single(
            tail.OutputLines.Select(line => JsonDocument.Parse(line).RootElement), e => e.GetProperty("type").GetString() == "serverless.job.retried");
        Assert.Equal("cli-ops", retried.GetProperty("data").GetProperty("operatorId").GetString());
        Assert.Equal("step-2", retried.GetProperty("data").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task StatusAndWatch_ShowTheLatestProgressMetadata()
    {
        CliRun submitted = await CliRun.StartAsync(Args(
            "cli-metadata", "submit", "simulate", "--payload", "{\"durationMs\":200,\"updates\":4,\"metadata\":true}", "--watch", "--json"));
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        JobMessage[] lines = [.. submitted.OutputLines.Select(line => JsonSerializer.Deserialize(line, ProtocolJson.Default.JobMessage)!)];
        string jobId = lines[0].JobId!;

        CliRun status = await CliRun.StartAsync(Args("cli-metadata", "status", jobId));
        CliRun watch = await CliRun.StartAsync(Args("cli-metadata", "watch", jobId, "--json"));

        Assert.Equal(4, lines.Last(m => m.Type == MessageTypes.Progress).Metadata!.Value.GetProperty("update").GetInt32());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("update: 4, updates: 4", status.Output, StringComparison.Ordinal);
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Contains("\"metadata\":{\"update\":4,\"updates\":4}", watch.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsTail_BadJobId_ExitsTwo()
    {
        CliRun run = await CliRun.StartAsync(Args("cli-events", "events", "tail", "--job", "no/such#job", "--storage", stack.Azurite.ConnectionString));

        Assert.True(run.ExitCode == 2, run.ToString());
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("submit", "echo", "--payload", "{not json")]
    [InlineData("list", "--status", "sleeping")]
    [InlineData("export", "job1", "--format", "pdf")]
    public async Task BadUsage_ExitsTwo(params string[] args)
    {
        CliRun run = await CliRun.StartAsync(Args("cli-usage", args));

        Assert.True(run.ExitCode == 2, run.ToString());
    }

    [Fact]
    public async Task Submit_HostDown_ExitsThree()
    {
        int port = FreePort.Next(); // reserved for this test process: nothing listens on it

        CliRun run = await CliRun.StartAsync("submit", "echo", "--token", "x.y.z", "--url", $"http://127.0.0.1:{port}");

        Assert.True(run.ExitCode == 3, run.ToString());
    }

    [Fact]
    public async Task Operator_ListCancelPauseResumeAndHoldTheCircuit_WithAnOperatorDevelopmentToken()
    {
        CliRun submitted = await CliRun.StartAsync(Args("cli-op-owner", "submit", "simulate", "--payload", "{\"durationMs\":30000,\"updates\":300,\"stages\":2}", "--json"));
        string jobId = JsonSerializer.Deserialize(submitted.OutputLines[0], ProtocolJson.Default.JobMessage)!.JobId!;

        CliRun jobs = await CliRun.StartAsync(Args("cli-op", "operator", "jobs", "--owner", "cli-op-owner", "--since", "1h", "--json"));
        CliRun cancel = await CliRun.StartAsync(Args("cli-op", "operator", "cancel", jobId, "--json"));
        CliRun pause = await CliRun.StartAsync(Args("cli-op", "operator", "pause", "echo", "--json"));
        CliRun refused = await CliRun.StartAsync(Args("cli-op-owner", "submit", "echo", "--payload", "{}", "--json"));
        CliRun resume = await CliRun.StartAsync(Args("cli-op", "operator", "resume", "echo", "--json"));
        CliRun hold = await CliRun.StartAsync(Args("cli-op", "operator", "push-circuit", "closed", "--minutes", "1", "--json"));
        CliRun automatic = await CliRun.StartAsync(Args("cli-op", "operator", "push-circuit", "automatic", "--json"));
        CliRun badSince = await CliRun.StartAsync(Args("cli-op", "operator", "jobs", "--since", "yesterday"));

        Assert.True(jobs.ExitCode == 0, jobs.ToString());
        OperatorJobView listed = Assert.Single(JsonSerializer.Deserialize(jobs.Output, ProtocolJson.Default.OperatorJobList)!.Jobs);
        Assert.Equal(("cli-op-owner", jobId), (listed.Owner, listed.Job.JobId));
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal(jobId, JsonSerializer.Deserialize(cancel.Output, ProtocolJson.Default.JobMessage)!.JobId);
        Assert.Equal(["echo"], JsonSerializer.Deserialize(pause.Output, ProtocolJson.Default.OperatorControlsView)!.PausedActions);
        Assert.Equal(3, refused.ExitCode);
        Assert.Equal(ErrorCodes.ServiceUnavailable, JsonSerializer.Deserialize(refused.Output, ProtocolJson.Default.JobMessage)!.Error!.Code);
        Assert.Empty(JsonSerializer.Deserialize(resume.Output, ProtocolJson.Default.OperatorControlsView)!.PausedActions);
        Assert.Equal("closed", JsonSerializer.Deserialize(hold.Output, ProtocolJson.Default.OperatorControlsView)!.PushCircuit!.State);
        Assert.Null(JsonSerializer.Deserialize(automatic.Output, ProtocolJson.Default.OperatorControlsView)!.PushCircuit);
        Assert.Equal(2, badSince.ExitCode);
    }
}
