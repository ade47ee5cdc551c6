using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>A handler's progress metadata in the real Functions host: pushed through the SignalR Service emulator and replayed on resume.</summary>
[Collection(AzurePathCollection.Name)]
public sealed class ProgressMetadataTests(AzurePathFixture fixture)
{
    [Fact]
    public async Task Metadata_IsPushedAndReplayed_TheLastOfABatchWinning()
    {
        await using HubClient client = await HubClient.NegotiateAndConnectAsync(fixture.Stack.BaseAddress, fixture.Stack.TokenFor("az-metadata-user"));
        JobMessage accepted = await client.SubmitAsync("az-metadata-1", "simulate", new { durationMs = 600, updates = 10, metadata = true });

        IReadOnlyList<JobMessage> pushed = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(120));

        JobMessage[] progress = [.. pushed.Where(m => m.Type == MessageTypes.Progress && m.Coalesced is not null)];
        Assert.NotEmpty(progress);
        Assert.Equal(10, progress[^1].Metadata!.Value.GetProperty("update").GetInt32());
        JobMessage[] replayed = await client.ResumeAsync(accepted.JobId!, 0);
        Assert.Equal(
            pushed.Where(m => m.Seq is not null).Select(m => (m.Seq, m.Metadata?.GetRawText())),
            replayed.Select(m => (m.Seq, m.Metadata?.GetRawText())));
    }
}
