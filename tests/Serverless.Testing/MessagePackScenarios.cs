using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>
/// Clients on the SignalR MessagePack hub protocol (the official .NET package), asserted the same way on both hosts:
/// <c>connect</c> opens a <see cref="HubClient"/> configured as the service's .NET clients are, and <c>negotiate</c> answers
/// where a plain MessagePack client connects and with which token, for a user.
/// </summary>
public sealed class MessagePackScenarios(Func<string, Task<HubClient>> connect, Func<string, Task<HubNegotiation>> negotiate)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Sync answer, async job pushed to completion, and resume: the same messages as over JSON.</summary>
    public async Task SyncAsyncAndResumeAsync()
    {
        await using HubClient client = await connect("msgpack-flow");

        JobMessage result = await client.SubmitAsync("mp-echo-1", "echo", new { hello = "msgpack", n = 3 });
        JobMessage accepted = await client.SubmitAsync("mp-sim-1", "simulate", new { stages = 2, durationMs = 1500, updates = 20 });
        IReadOnlyList<JobMessage> pushed = await client.WaitForTerminalAsync(accepted.JobId!, JobTimeout);
        JobMessage[] persisted = await client.ResumeAsync(accepted.JobId!, 0);

        Assert.Equal(MessageTypes.Result, result.Type);
        Assert.True(result.Ok);
        Assert.Equal("msgpack", result.Data!.Value.GetProperty("hello").GetString());
        Assert.Equal(3, result.Data!.Value.GetProperty("n").GetInt32());
        Assert.Equal(MessageTypes.Accepted, accepted.Type);
        Assert.Equal(Enumerable.Range(1, pushed.Count).Select(i => (long)i), pushed.Select(m => m.Seq!.Value));
        Assert.Contains(pushed, m => m.Type == MessageTypes.Progress && m.At is not null);
        Assert.Equal(MessageTypes.Completed, pushed[^1].Type);
        Assert.Equal(pushed.Select(m => (m.Type, m.Seq, m.Percent)), persisted.Select(m => (m.Type, m.Seq, m.Percent)));
    }

    /// <summary>
    /// A MessagePack client that knows nothing of this service (the package's default options) sends and gets plain maps
    /// with the protocol's camelCase names, each valid against docs/schemas as JSON; a wrong argument is a typed
    /// <c>VALIDATION_ERROR</c>, as over JSON.
    /// </summary>
    public async Task PlainMessagePackClientAsync()
    {
        HubNegotiation negotiation = await negotiate("msgpack-plain");
        HubConnection connection = new HubConnectionBuilder()
            .WithUrl(negotiation.Url, options => options.AccessTokenProvider = () => Task.FromResult<string?>(negotiation.AccessToken))
            .AddMessagePackProtocol()
            .Build();
        var pushes = new List<IDictionary<object, object>>();
        var terminal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<object>(MessageTypes.Target, message =>
        {
            var map = (IDictionary<object, object>)message;
            lock (pushes)
            {
                pushes.Add(map);
            }

            if (MessageTypes.IsTerminal((string)map["type"]))
            {
                terminal.TrySetResult();
            }
        });
        await connection.StartAsync();
        try
        {
            Dictionary<string, object> echoRequest = Request("mp-plain-1", "echo", new Dictionary<string, object> { ["hello"] = "plain", ["list"] = new object[] { 1, 2.5, true } });
            Dictionary<string, object> simulateRequest = Request("mp-plain-2", "simulate", new Dictionary<string, object> { ["durationMs"] = 500, ["updates"] = 5 });
            var echo = (IDictionary<object, object>)await connection.InvokeAsync<object>("submit", echoRequest);
            var wrong = (IDictionary<object, object>)await connection.InvokeAsync<object>("submit", 42);
            var accepted = (IDictionary<object, object>)await connection.InvokeAsync<object>("submit", simulateRequest);
            await terminal.Task.WaitAsync(JobTimeout);
            object[] replay = (object[])await connection.InvokeAsync<object>("resume", (string)accepted["jobId"], 0);

            lock (pushes)
            {
                foreach (object message in new object[] { echo, wrong, accepted }.Concat(pushes).Concat(replay))
                {
                    ProtocolSchemas.AssertValid(ProtocolSchemas.Message, ProtocolSchemas.FromMessagePack(message));
                }
            }

            Assert.Equal("result", echo["type"]);
            Assert.Equal(true, echo["ok"]);
            Assert.Equal("plain", ((IDictionary<object, object>)echo["data"])["hello"]);
            Assert.DoesNotContain("error", echo.Keys);
            Assert.Equal("error", wrong["type"]);
            Assert.Equal(ErrorCodes.ValidationError, ((IDictionary<object, object>)wrong["error"])["code"]);
            Assert.Equal("accepted", accepted["type"]);
            IDictionary<object, object> last;
            lock (pushes)
            {
                last = pushes[^1];
            }

            Assert.Equal("completed", last["type"]);
            Assert.Equal(accepted["jobId"], last["jobId"]);
            Assert.Equal(100L, Convert.ToInt64(last["percent"], System.Globalization.CultureInfo.InvariantCulture));
            // The local hub writes the JSON string; Azure SignalR Service converts the app's JSON push and makes a
            // date-like string a MessagePack timestamp (docs/PROTOCOL.md): the same instant either way.
            Assert.True(last["at"] is string or DateTime, $"at is a {last["at"].GetType().Name}");
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private static Dictionary<string, object> Request(string requestId, string action, Dictionary<string, object> payload) =>
        new() { ["requestId"] = requestId, ["action"] = action, ["payload"] = payload };
}
