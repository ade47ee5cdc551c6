using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Api;
using Serverless.Core.Protocol;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

/// <summary>Over a thousand generated malformed or hostile messages: each gets a typed error, nothing is written, the host stays up.</summary>
[Collection(StackCollection.Name)]
public sealed class HostileInputTests(StackFixture stack, ITestOutputHelper output)
{
    private const string KeyCharacters = "/\\#?";

    [Fact]
    public async Task HostileMessages_EachGetItsExactErrorCodeAndHttpStatus_NoRowBlobOrOrchestrationIsWritten_HostStaysUp()
    {
        await using LocalHostInstance host = await stack.StartHostAsync(new Dictionary<string, string?>
        {
            ["Limits:RequestsPerSecond"] = "100000",
            ["Limits:Burst"] = "100000",
            ["Limits:ReadsPerSecond"] = "100000",
            ["Limits:ReadBurst"] = "100000",
        });
        await using HubClient hub = await host.ConnectAsync("hostile-user");
        using HttpClient http = host.CreateHttpClient("hostile-user");
        var random = new Random(20261125);
        int sent = 0;
        var codes = new Dictionary<string, int>();

        // Each case has one right answer: the exact code (never INTERNAL, TIMEOUT or SERVICE_UNAVAILABLE).
        void Expect(JobMessage reply, string expected, string what)
        {
            Assert.True(reply.Type == MessageTypes.Error, $"{what} was answered '{reply.Type}'");
            Assert.True(reply.Error!.Code == expected, $"{what} was answered {reply.Error.Code}, not {expected}: {reply.Error.Message}");
            codes[reply.Error.Code] = codes.GetValueOrDefault(reply.Error.Code) + 1;
            sent++;
        }

        foreach ((string request, string expected) in HostileRequests(random))
        {
            using JsonDocument document = JsonDocument.Parse(request, new JsonDocumentOptions { MaxDepth = 1000 });
            Expect(await hub.Connection.InvokeAsync<JobMessage>("Submit", document.RootElement), expected, "hub " + Shorten(request));
            Expect(await PostAsync(http, Encoding.UTF8.GetBytes(request), expected), expected, "http " + Shorten(request));
        }

        foreach (byte[] body in BrokenJsonBodies(random))
        {
            Expect(await PostAsync(http, body, ErrorCodes.ValidationError), ErrorCodes.ValidationError, "http raw body");
        }

        foreach (object? candidate in HostileJobIds(random))
        {
            string expected = candidate is UnknownJobId ? ErrorCodes.NotFound : ErrorCodes.ValidationError;
            object? jobId = candidate is UnknownJobId unknown ? unknown.Value : candidate;
            Expect(await hub.Connection.InvokeAsync<JobMessage>("Cancel", jobId), expected, $"cancel {jobId}");
            Expect(Assert.Single(await hub.Connection.InvokeAsync<JobMessage[]>("Resume", jobId, 0)), expected, $"resume {jobId}");
            if (jobId is string text && text.Length > 0)
            {
                HttpResponseMessage get = await http.GetAsync("/api/jobs/" + Uri.EscapeDataString(text));
                Assert.Equal(JobApi.StatusCodeOf(expected), (int)get.StatusCode);
                Expect((await get.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!, expected, "get " + text);
            }
        }

        // Deeper than the transport parses: SignalR drops that one connection; the host and others carry on.
        await using (HubClient victim = await host.ConnectAsync("hostile-user"))
        {
            string abyss = new string('[', 500) + new string(']', 500);
            using JsonDocument deep = JsonDocument.Parse($"{{\"requestId\":\"deep\",\"action\":\"echo\",\"payload\":{abyss}}}", new JsonDocumentOptions { MaxDepth = 1000 });
            HubException dropped = await Assert.ThrowsAsync<HubException>(() => victim.Connection.InvokeAsync<JobMessage>("Submit", deep.RootElement));
            Assert.Contains("server closed the connection", dropped.Message, StringComparison.Ordinal);
        }

        Assert.True(sent >= 1000, $"only {sent} hostile messages were sent");
        output.WriteLine($"{sent} hostile messages: " + string.Join(", ", codes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
        Assert.Contains(ErrorCodes.ValidationError, codes.Keys);
        Assert.Contains(ErrorCodes.UnknownAction, codes.Keys);
        Assert.Contains(ErrorCodes.PayloadTooLarge, codes.Keys);
        Assert.Contains(ErrorCodes.NotFound, codes.Keys);

        // Not one row, blob or orchestration was created by any of it: jobs, index, outbox, route statistics.
        foreach (string name in new[] { host.JobsTable, host.IndexTable, host.Settings["EventStream:OutboxTable"]!, host.RouteStatisticsTable })
        {
            await foreach (TableEntity row in QueryIfExistsAsync(new TableClient(stack.Azurite.ConnectionString, name)))
            {
                if (row.PartitionKey == "~meta")
                {
                    continue; // the outbox's own watermarks and lease, written whatever the traffic
                }

                Assert.Fail($"A hostile message created the row {row.PartitionKey}/{row.RowKey} in {name}.");
            }
        }

        var blobs = new Azure.Storage.Blobs.BlobContainerClient(stack.Azurite.ConnectionString, host.LargeValueContainer);
        if (await blobs.ExistsAsync())
        {
            await foreach (var blob in blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
            {
                Assert.Fail($"A hostile message created the blob {blob.Name}.");
            }
        }

        // Still up and working.
        JobMessage echo = await hub.SubmitAsync("after-storm", "echo", new { ok = true });
        Assert.True(echo.Ok);

        DurableTaskClient durable = host.Services.GetRequiredService<DurableTaskClient>();
        await foreach (OrchestrationMetadata instance in durable.GetAllInstancesAsync())
        {
            Assert.Fail($"A hostile message started the orchestration {instance.InstanceId}.");
        }
    }

    private static async Task<JobMessage> PostAsync(HttpClient http, byte[] body, string expected)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        HttpResponseMessage response = await http.PostAsync("/api/jobs", content);
        Assert.Equal(JobApi.StatusCodeOf(expected), (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!;
    }

    private static async IAsyncEnumerable<TableEntity> QueryIfExistsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(maxPerPage: 10))
            {
                rows.Add(row);
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Never created: nothing written.
        }

        foreach (TableEntity row in rows)
        {
            yield return row;
        }
    }

    /// <summary>A well-formed job id that no job has: NOT_FOUND, unlike the malformed ones.</summary>
    private sealed record UnknownJobId(string Value);

    /// <summary>Syntactically valid JSON that is never a runnable request, with the code it must get.</summary>
    private static IEnumerable<(string Request, string Code)> HostileRequests(Random random)
    {
        string[] shapes = ["1", "\"submit\"", "[]", "null", "true", "[{\"requestId\":\"a\"}]"];
        foreach (string shape in shapes)
        {
            yield return (shape, ErrorCodes.ValidationError);
        }

        for (int i = 0; i < 400; i++)
        {
            string requestId = JsonSerializer.Serialize($"r{i}");
            string action = "\"echo\"";
            string payload = "{}";
            switch (i % 16)
            {
                case 0: requestId = JsonSerializer.Serialize(RandomText(random, 1, 20) + KeyCharacters[random.Next(4)]); break;
                case 1: requestId = JsonSerializer.Serialize(new string('x', 129 + random.Next(1000))); break;
                case 2: requestId = JsonSerializer.Serialize("id\u0000\u0007" + (char)random.Next(1, 31)); break;
                case 3: requestId = random.Next(2) == 0 ? "12345" : "{\"nested\":true}"; break;
                case 4: requestId = "\"\""; break;
                case 5: action = JsonSerializer.Serialize("no_such_" + RandomText(random, 1, 10)); break;
                case 6: action = JsonSerializer.Serialize("echo" + KeyCharacters[random.Next(4)]); break;
                case 7: action = random.Next(2) == 0 ? "42" : "[\"echo\"]"; break;
                case 8: action = JsonSerializer.Serialize(new string('a', 10_000)); break;
                case 9: action = "\"generate_report\""; payload = $"{{\"months\": {random.Next(37, 100_000)}}}"; break;
                case 10: action = "\"generate_report\""; payload = $"{{\"title\": {JsonSerializer.Serialize("t\u0001" + RandomText(random, 1, 50))}}}"; break;
                case 11: action = "\"simulate\""; payload = random.Next(2) == 0 ? "[1,2,3]" : "{\"durationMs\": \"soon\"}"; break;
                case 12: action = "\"simulate\""; payload = $"{{\"updates\": -{random.Next(1, 1000)}, \"stages\": 0}}"; break;
                case 13:
                    // Deeper than the protocol's 32 levels but within what the SignalR transport parses (64).
                    int depth = 33 + random.Next(25);
                    payload = new string('[', depth) + new string(']', depth);
                    break;
                case 14: payload = JsonSerializer.Serialize(new string('z', 70_000 + random.Next(100_000))); break;
                default:
                    yield return ($"{{\"requestId\":{requestId},\"action\":{action},\"priority\":\"urgent-{i}\"}}", ErrorCodes.ValidationError);
                    continue;
            }

            string code = (i % 16) switch { 5 => ErrorCodes.UnknownAction, 14 => ErrorCodes.PayloadTooLarge, _ => ErrorCodes.ValidationError };
            yield return ($"{{\"requestId\":{requestId},\"action\":{action},\"payload\":{payload}}}", code);
        }
    }

    private static IEnumerable<byte[]> BrokenJsonBodies(Random random)
    {
        yield return [];
        yield return Encoding.UTF8.GetBytes("{\"requestId\": ");
        yield return Encoding.UTF8.GetBytes("{'requestId': 'single-quotes'}");
        yield return Encoding.UTF8.GetBytes("{\"requestId\":\"a\",}");
        yield return Encoding.UTF8.GetBytes(new string('{', 5000));

        // Issue 13: unpaired surrogate escapes, invalid UTF-8 and data after the request object.
        string[] surrogates = ["\\ud800", "\\udc00", "a\\udfff\\ud800b", "\\ud83d"];
        for (int i = 0; i < 40; i++)
        {
            string bad = surrogates[i % surrogates.Length];
            yield return Encoding.UTF8.GetBytes((i % 4) switch
            {
                0 => $"{{\"requestId\":\"s{i}\",\"action\":\"generate_report\",\"payload\":{{\"title\":\"{bad}\"}}}}",
                1 => $"{{\"requestId\":\"{bad}\",\"action\":\"echo\"}}",
                2 => $"{{\"requestId\":\"s{i}\",\"action\":\"echo\",\"payload\":{{\"{bad}\":[1]}}}}",
                _ => $"{{\"requestId\":\"s{i}\",\"action\":\"process_data\",\"payload\":{{\"x\":[\"{bad}\"]}}}}",
            });
            yield return [.. Encoding.UTF8.GetBytes($"{{\"requestId\":\"b{i}\",\"action\":\"echo\",\"payload\":\""), 0xED, 0xA0, (byte)(0x80 + (i % 64)), .. "\"}"u8];
            yield return Encoding.UTF8.GetBytes($"{{\"requestId\":\"x{i}\",\"action\":\"echo\",\"payload\":{{}}}}" + (i % 2 == 0 ? " {}" : "trailing"));
        }

        for (int i = 0; i < 60; i++)
        {
            byte[] noise = new byte[random.Next(1, 300)];
            random.NextBytes(noise);
            noise[0] = (byte)'{';
            yield return noise;
        }
    }

    private static IEnumerable<object?> HostileJobIds(Random random)
    {
        yield return "";
        yield return "../../etc/passwd";
        yield return new UnknownJobId("j0000000000000000000000000000000");
        yield return 12345;
        yield return new string('j', 500);
        for (int i = 0; i < 60; i++)
        {
            yield return "j" + RandomText(random, 5, 30) + KeyCharacters[i % 4] + RandomText(random, 0, 5);
        }
    }

    private static string RandomText(Random random, int min, int max)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return new string([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
