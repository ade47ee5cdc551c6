using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// The app scaled out as in Azure: two Functions hosts on one task hub and one storage account, behind a round-robin
/// front door that both HTTP clients and the SignalR Service emulator's upstream go through. One instance is killed
/// (SIGKILL) with 20 jobs running; the other takes its Durable partitions and finishes every job.
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Jobs = 20;
    private static readonly TimeSpan Recovery = TimeSpan.FromMinutes(5);
    private AzurePathStack _stack = null!;

    public async Task InitializeAsync() => _stack = await AzurePathStack.StartAsync(
        new Dictionary<string, string?>
        {
            // The least the extension accepts (it refuses less than a minute): how long the messages the killed
            // instance had dequeued (its running stages, its orchestrations' events) stay hidden from the survivor.
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:01:00",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout"] = "00:01:00",
            // All 20 stages may end up on the survivor at once.
            ["AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions"] = "32",
        },
        instances: 2);

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task OneOfTwoInstancesKilled_TwentyJobsRunning_SurvivorTakesItsPartitions_EveryJobCompletesOnce_ClientMissesNothing()
    {
        string killed = AzurePathStack.WorkerId(0), survivor = AzurePathStack.WorkerId(1);
        TableClient partitions = new TableServiceClient(_stack.Azurite.ConnectionString).GetTableClient(_stack.TaskHub + "Partitions");
        await WaitForAsync(async () => (await OwnersAsync(partitions)).Values.ToHashSet().SetEquals([killed, survivor]), TimeSpan.FromMinutes(3), "both instances own partitions");
        output.WriteLine($"partition owners before the kill: {Describe(await OwnersAsync(partitions))}");

        await using HubClient client = await HubClient.NegotiateAndConnectAsync(_stack.BaseAddress, _stack.TokenFor("scale-user"));
        JobMessage[] accepted = await Task.WhenAll(Enumerable.Range(0, Jobs).Select(i =>
            client.SubmitAsync($"scale-{i}", "simulate", new { stages = 2, durationMs = 40000, updates = 40 })));
        string[] jobIds = [.. accepted.Select(m => m.JobId!)];
        Assert.All(accepted, m => Assert.Equal(MessageTypes.Accepted, m.Type));
        await Task.WhenAll(jobIds.Select(id => client.WaitForAsync(id, m => m.Type == MessageTypes.Progress && m.Percent > 0, TimeSpan.FromSeconds(90))));
        IReadOnlyList<int> servedBeforeKill = _stack.FrontDoor!.Served;

        await _stack.Hosts[0].KillAsync();
        DateTimeOffset killedAt = DateTimeOffset.UtcNow;
        var sinceKill = Stopwatch.StartNew();
        await WaitForAsync(async () => (await OwnersAsync(partitions)).Values.All(owner => owner == survivor), Recovery, "the survivor owns every partition");
        TimeSpan partitionsMoved = sinceKill.Elapsed;
        Dictionary<string, IReadOnlyList<JobMessage>> pushed = (await Task.WhenAll(jobIds.Select(async id => (id, messages: await client.WaitForTerminalAsync(id, Recovery)))))
            .ToDictionary(p => p.id, p => p.messages);

        var reruns = new List<JobMessage>();
        int missedLive = 0;
        foreach (string jobId in jobIds)
        {
            JobMessage[] persisted = await client.ResumeAsync(jobId, 0);
            Dictionary<long, JobMessage> live = pushed[jobId].GroupBy(m => m.Seq!.Value).ToDictionary(g => g.Key, g => g.First());
            Assert.Equal(Enumerable.Range(1, persisted.Length).Select(i => (long)i), persisted.Select(m => m.Seq!.Value));
            Assert.Equal(MessageTypes.Completed, Assert.Single(persisted, m => MessageTypes.IsTerminal(m.Type)).Type);
            Assert.Equal(MessageTypes.Completed, persisted[^1].Type);

            // Pushed live, whichever instance ran the stage: everything persisted, except what the killed instance
            // persisted in its last instant and never got to push; resume (history from seq 0) hands those over.
            Assert.All(live.Values, m => Assert.Equal(m.Type, persisted[m.Seq!.Value - 1].Type));
            JobMessage[] missed = [.. persisted.Where(m => !live.ContainsKey(m.Seq!.Value))];
            Assert.All(missed, m => Assert.True(m.At < killedAt, $"job {jobId} seq {m.Seq} ({m.Type} at {m.At:O}) was persisted after the kill ({killedAt:O}) but never pushed"));
            missedLive += missed.Length;
            reruns.AddRange(persisted.Where(m => Attempt(m) >= 2));
        }

        // The killed instance was running stages: each is run again on the survivor as attempt 2.
        Assert.NotEmpty(reruns);
        Assert.All(servedBeforeKill, served => Assert.True(served > 0, $"the front door sent requests to one instance only: {string.Join(", ", servedBeforeKill)}"));
        DateTimeOffset lastCompleted = pushed.Values.Max(m => m[^1].At!.Value);
        output.WriteLine($"front door requests per instance before the kill: {string.Join(" / ", servedBeforeKill)}");
        output.WriteLine($"kill -> survivor owns all {(await OwnersAsync(partitions)).Count} partitions: {partitionsMoved.TotalSeconds:0.0} s");
        output.WriteLine($"kill -> first progress of a stage the killed instance was running (re-run, attempt 2): {(reruns.Min(m => m.At!.Value) - killedAt).TotalSeconds:0.0} s; {reruns.Select(m => m.JobId).Distinct().Count()} of {Jobs} jobs re-ran a stage");
        output.WriteLine($"kill -> all {Jobs} jobs completed: {(lastCompleted - killedAt).TotalSeconds:0.0} s");
        output.WriteLine($"messages persisted by the killed instance just before the kill and not pushed live (delivered by resume): {missedLive}");
    }

    private static int Attempt(JobMessage message) =>
        message.Metadata is { ValueKind: JsonValueKind.Object } metadata && metadata.TryGetProperty("attempt", out JsonElement attempt)
            ? int.Parse(attempt.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    /// <summary>Partition (control queue) → its current owner, from the Durable extension's partition table.</summary>
    private static async Task<Dictionary<string, string>> OwnersAsync(TableClient partitions)
    {
        var owners = new Dictionary<string, string>();
        try
        {
            await foreach (TableEntity row in partitions.QueryAsync<TableEntity>())
            {
                owners[row.RowKey] = row.GetString("CurrentOwner") ?? "";
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Not created yet.
        }

        return owners;
    }

    private static string Describe(Dictionary<string, string> owners) => string.Join(", ", owners.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"));

    private async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout}: {what}.\n{_stack.Diagnostics()}");
            }

            await Task.Delay(250);
        }
    }
}
