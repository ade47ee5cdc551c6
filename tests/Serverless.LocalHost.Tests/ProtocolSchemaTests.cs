using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Serverless.Core.Protocol;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary>docs/PROTOCOL.md's examples and real messages from a running host match docs/schemas.</summary>
[Collection(StackCollection.Name)]
public sealed partial class ProtocolSchemaTests(StackFixture stack)
{
    private static readonly string Docs = Path.Combine(RepositoryLayout.Root, "docs");
    private static readonly JsonSchema RequestSchema = ProtocolSchemas.Request;
    private static readonly JsonSchema MessageSchema = ProtocolSchemas.Message;

    [Fact]
    public void ProtocolDoc_EveryExample_MatchesItsSchema()
    {
        string doc = File.ReadAllText(Path.Combine(Docs, "PROTOCOL.md"));
        MatchCollection blocks = ExampleBlock().Matches(doc);

        Assert.True(blocks.Count >= 10, $"only {blocks.Count} examples found");
        foreach (Match block in blocks)
        {
            JsonSchema schema = block.Groups["kind"].Value == "request" ? RequestSchema : MessageSchema;
            AssertValid(schema, block.Groups["json"].Value);
        }
    }

    [Fact]
    public void Serializer_EveryMessageShape_MatchesTheSchema_AndBrokenOnesDoNot()
    {
        var error = new JobError(ErrorCodes.RateLimited, "slow down", Retryable: true) { RetryAfterMs = 10 };
        JobMessage[] shapes =
        [
            JobMessage.Accepted("j0123456789abcdef0123456789abcde", "r1", duplicate: true),
            JobMessage.SyncResult("r1", JsonDocument.Parse("{\"a\":1}").RootElement),
            JobMessage.SyncFailure("r1", error),
            JobMessage.ErrorReply(null, error),
        ];
        foreach (JobMessage shape in shapes)
        {
            AssertValid(MessageSchema, JsonSerializer.Serialize(shape, ProtocolJson.Default.JobMessage));
        }

        Assert.False(Evaluate(MessageSchema, "{\"type\":\"accepted\",\"requestId\":\"r\"}").IsValid);
        Assert.False(Evaluate(MessageSchema, "{\"type\":\"error\",\"error\":{\"code\":\"NOPE\",\"message\":\"x\",\"retryable\":false}}").IsValid);
        Assert.False(Evaluate(RequestSchema, "{\"requestId\":\"a/b\",\"action\":\"echo\"}").IsValid);
    }

    [Fact]
    public async Task RunningHost_EveryMessageOnTheWire_MatchesTheSchema()
    {
        using HttpClient http = stack.Host.CreateHttpClient("schema-user");
        var wire = new List<string>();

        async Task Post(object request)
        {
            AssertValid(RequestSchema, JsonSerializer.Serialize(request));
            HttpResponseMessage response = await http.PostAsJsonAsync("/api/jobs", request);
            wire.Add(await response.Content.ReadAsStringAsync());
        }

        await Post(new { requestId = "s-echo", action = "echo", payload = new { a = 1 } });
        await Post(new { requestId = "s-bad", action = "no_such_action" });
        await Post(new { requestId = "s-report", action = "generate_report", payload = new { months = 2, paceMs = 0 }, priority = "high" });
        await Post(new { requestId = "s-fail", action = "simulate", payload = new { durationMs = 10, updates = 1, alwaysFail = true } });
        await Post(new { requestId = "s-long", action = "simulate", payload = new { durationMs = 60_000, updates = 100 } });

        string[] jobIds = [.. wire.Select(w => JsonNode.Parse(w)!["jobId"]?.GetValue<string>()).OfType<string>()];
        HttpResponseMessage cancel = await http.PostAsync($"/api/jobs/{jobIds[^1]}/cancel", null);
        wire.Add(await cancel.Content.ReadAsStringAsync());

        foreach (string jobId in jobIds)
        {
            string events;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            do
            {
                await Task.Delay(200, timeout.Token);
                events = await http.GetStringAsync($"/api/jobs/{jobId}/events?afterSeq=0", timeout.Token);
            }
            while (!JsonNode.Parse(events)!.AsArray().Any(m => MessageTypes.IsTerminal(m!["type"]!.GetValue<string>())));

            wire.AddRange(JsonNode.Parse(events)!.AsArray().Select(m => m!.ToJsonString()));
        }

        string[] types = [.. wire.Select(w => JsonNode.Parse(w)!["type"]!.GetValue<string>()).Distinct().Order()];
        Assert.Equal(["accepted", "cancelled", "completed", "error", "failed", "progress", "result", "status"], types);
        Assert.All(wire, json => AssertValid(MessageSchema, json));
    }

    private static void AssertValid(JsonSchema schema, string json) => ProtocolSchemas.AssertValid(schema, json);

    private static EvaluationResults Evaluate(JsonSchema schema, string json) => ProtocolSchemas.Evaluate(schema, JsonNode.Parse(json));

    [GeneratedRegex("```json (?<kind>request|message)\\n(?<json>.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();
}
