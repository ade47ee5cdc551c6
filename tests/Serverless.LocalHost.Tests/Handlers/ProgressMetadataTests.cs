using System.Net.Http.Json;
using Serverless.Core.Progress;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Handlers;

/// <summary>A handler's progress metadata on the local host: pushed, persisted, replayed on resume, in the job's state, and bounded.</summary>
[Collection(StackCollection.Name)]
public sealed class ProgressMetadataTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Metadata_IsPushedPersistedAndReplayed_AndTheStateKeepsTheLatest()
    {
        await using HubClient client = await stack.Host.ConnectAsync("metadata-user");
        JobMessage accepted = await client.SubmitAsync("metadata-1", "simulate", new { durationMs = 600, updates = 10, metadata = true });

        IReadOnlyList<JobMessage> pushed = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(60));

        JobMessage[] progress = [.. pushed.Where(m => m.Type == MessageTypes.Progress && m.Coalesced is not null)];
        Assert.NotEmpty(progress);
        Assert.All(progress, m => Assert.Equal(10, m.Metadata!.Value.GetProperty("updates").GetInt32()));
        // The last report of the batch wins: the final flush carries update 10 of 10.
        Assert.Equal(10, progress[^1].Metadata!.Value.GetProperty("update").GetInt32());

        JobMessage[] replayed = await client.ResumeAsync(accepted.JobId!, 0);
        Assert.Equal(
            pushed.Where(m => m.Seq is not null).Select(m => (m.Seq, m.Metadata?.GetRawText())),
            replayed.Select(m => (m.Seq, m.Metadata?.GetRawText())));

        using HttpClient http = stack.Host.CreateHttpClient("metadata-user");
        JobView view = (await http.GetFromJsonAsync($"/api/jobs/{accepted.JobId}", ProtocolJson.Default.JobView))!;
        Assert.Equal(10, view.Metadata!.Value.GetProperty("update").GetInt32());
    }

    [Fact]
    public async Task OversizedMetadata_IsReplacedByTheMarker_AndTheJobCompletes()
    {
        await using HubClient client = await stack.Host.ConnectAsync("metadata-big-user");
        JobMessage accepted = await client.SubmitAsync("metadata-big", "simulate", new { durationMs = 100, updates = 2, metadata = true, metadataPadding = 5000 });

        IReadOnlyList<JobMessage> pushed = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(60));

        Assert.Equal(MessageTypes.Completed, pushed[^1].Type);
        JobMessage progress = pushed.Last(m => m.Type == MessageTypes.Progress && m.Coalesced is not null);
        Assert.Matches(@"^\d+ bytes > 1024$", progress.Metadata!.Value.GetProperty(ProgressMetadata.DroppedProperty).GetString());
    }
}
