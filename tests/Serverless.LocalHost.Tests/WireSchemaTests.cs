using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;
using static Serverless.Testing.ProtocolSchemas;

namespace Serverless.LocalHost.Tests;

/// <summary>Real messages from a running host match docs/schemas.</summary>
[Collection(StackCollection.Name)]
public sealed class WireSchemaTests(LocalStackFixture stack)
{
    [Fact]
    public async Task RunningHost_EveryMessageOnTheWire_MatchesTheSchema()
    {
        using HttpClient http = stack.Host.CreateHttpClient("schema-user");
        var wire = new List<string>();

        async Task Post(object request)
        {
            AssertValid(Request, JsonSerializer.Serialize(request));
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
        Assert.All(wire, json => AssertValid(Message, json));
    }
}
