using System.Text.Json;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>
/// What a client with only a WebSocket sees (docs/PROTOCOL.md, "A plain WebSocket"), asserted the same way on both
/// hosts: each host's tests give <c>connect</c>, which negotiates at the app and opens a <see cref="RawHubClient"/>.
/// </summary>
public sealed class RawProtocolScenarios(Func<string, Task<RawHubClient>> connect)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    /// <summary>A sync action's answer is the invocation's completion: <c>result</c> with the handler's data.</summary>
    public async Task SyncResultAsync()
    {
        await using RawHubClient client = await connect("raw-sync");

        JsonElement completion = await client.InvokeAsync("submit", """{"requestId":"raw-echo-1","action":"echo","payload":{"hello":"websocket"}}""");

        Assert.False(completion.TryGetProperty("error", out _), completion.GetRawText());
        JsonElement result = completion.GetProperty("result");
        Assert.Equal(MessageTypes.Result, result.GetProperty("type").GetString());
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal("websocket", result.GetProperty("data").GetProperty("hello").GetString());
    }

    /// <summary>An async job answers <c>accepted</c>, then pushes batched progress on <c>job</c> with seq 1, 2, … up to <c>completed</c>.</summary>
    public async Task AsyncProgressToCompletionAsync()
    {
        await using RawHubClient client = await connect("raw-async");

        JsonElement accepted = (await client.InvokeAsync("submit", """{"requestId":"raw-sim-1","action":"simulate","payload":{"stages":2,"durationMs":1500,"updates":20}}""")).GetProperty("result");
        Assert.Equal(MessageTypes.Accepted, accepted.GetProperty("type").GetString());
        string jobId = accepted.GetProperty("jobId").GetString()!;
        IReadOnlyList<JsonElement> pushed = await client.WaitForTerminalAsync(jobId, JobTimeout);

        Assert.Equal(Enumerable.Range(1, pushed.Count).Select(i => (long)i), pushed.Select(Seq));
        Assert.Contains(pushed, m => m.GetProperty("type").GetString() == MessageTypes.Progress);
        JsonElement completed = pushed[^1];
        Assert.Equal(MessageTypes.Completed, completed.GetProperty("type").GetString());
        Assert.Equal(100, completed.GetProperty("percent").GetDouble());
    }

    /// <summary>
    /// A client that drops mid-job and connects again gets, from <c>resume(jobId, lastSeq)</c> and the live pushes after
    /// it, every message after the last one it saw: no gap, the terminal one last.
    /// </summary>
    public async Task ResumeAfterReconnectAsync()
    {
        string jobId;
        long lastSeen;
        await using (RawHubClient first = await connect("raw-resume"))
        {
            jobId = (await first.InvokeAsync("submit", """{"requestId":"raw-resume-1","action":"simulate","payload":{"stages":3,"durationMs":3000,"updates":15}}"""))
                .GetProperty("result").GetProperty("jobId").GetString()!;
            lastSeen = Seq((await first.WaitForAsync(jobId, m => Seq(m) >= 2, JobTimeout))[^1]);
        }

        await using RawHubClient second = await connect("raw-resume");
        JsonElement replay = (await second.InvokeAsync("resume", $"\"{jobId}\",{lastSeen}")).GetProperty("result");
        Assert.Equal(JsonValueKind.Array, replay.ValueKind);
        List<JsonElement> after = [.. replay.EnumerateArray()];
        if (!after.Any(IsTerminal))
        {
            after.AddRange(await second.WaitForTerminalAsync(jobId, JobTimeout));
        }

        // Live pushes can overlap the replay; a client drops what it already has by seq, as the protocol says.
        long[] seqs = [.. after.Select(Seq).Where(s => s > lastSeen).Distinct().Order()];
        Assert.Equal(Enumerable.Range((int)lastSeen + 1, seqs.Length).Select(i => (long)i), seqs);
        Assert.True(IsTerminal(after.First(m => Seq(m) == seqs[^1])), "the highest seq is the terminal message");
    }

    /// <summary>
    /// Malformed input: a wrong argument is a typed <c>VALIDATION_ERROR</c> and an unknown method a completion error, on
    /// a connection that carries on; a frame that is not JSON closes that connection only, and the host stays up.
    /// </summary>
    public async Task MalformedFramesAsync()
    {
        await using (RawHubClient client = await connect("raw-malformed"))
        {
            JsonElement wrongType = (await client.InvokeAsync("submit", "42")).GetProperty("result");
            Assert.Equal(MessageTypes.Error, wrongType.GetProperty("type").GetString());
            Assert.Equal(ErrorCodes.ValidationError, wrongType.GetProperty("error").GetProperty("code").GetString());

            JsonElement unknown = await client.InvokeAsync("launch", "1");
            Assert.False(string.IsNullOrEmpty(unknown.GetProperty("error").GetString()), unknown.GetRawText());

            await client.SendTextAsync("{\"type\":1,\"invocationId\":\"x\",\"target\":" + RawHubClient.RecordSeparator);
            await client.WaitForCloseAsync();
        }

        await SyncResultAsync();
    }

    private static long Seq(JsonElement message) => message.GetProperty("seq").GetInt64();

    private static bool IsTerminal(JsonElement message) => MessageTypes.IsTerminal(message.GetProperty("type").GetString()!);
}
