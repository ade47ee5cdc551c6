using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Serverless.Core.Endpoints.AzureSignalR;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Security;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary>
/// The hostile-input corpus (<see cref="HostileCorpus"/>) on the Azure path: through the SignalR Service emulator and
/// its signed upstream with the official .NET client, and over HTTP to the app in the Functions host; then raw calls
/// to the upstream endpoint and bad tokens. Each gets its exact code and status, nothing is written, the app stays up.
/// </summary>
public sealed class HostileInputTests(HostileInputFixture fixture, ITestOutputHelper output) : IClassFixture<HostileInputFixture>
{
    private const string User = "hostile-user";

    private AzurePathStack Stack => fixture.Stack;

    [Fact]
    public async Task HostileMessages_OverTheUpstreamAndHttp_EachGetItsExactCodeAndStatus_NothingIsWritten_AppStaysUp()
    {
        await using HubClient hub = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor(User));
        using HttpClient http = Stack.CreateHttpClient(User);
        var random = new Random(20261125);
        var replies = new HostileReplies();
        void Expect(JobMessage reply, string expected, string what) => replies.Expect(reply, expected, what);

        foreach ((string request, string expected) in HostileCorpus.Requests(random))
        {
            using JsonDocument document = JsonDocument.Parse(request, new JsonDocumentOptions { MaxDepth = 1000 });
            Expect(await InvokeAsync<JobMessage>(hub, "submit", request, document.RootElement), expected, "upstream " + HostileCorpus.Shorten(request));
            Expect(await PostJobAsync(http, Encoding.UTF8.GetBytes(request), expected), expected, "http " + HostileCorpus.Shorten(request));
        }

        foreach (byte[] body in HostileCorpus.BrokenJsonBodies(random))
        {
            Expect(await PostJobAsync(http, body, ErrorCodes.ValidationError), ErrorCodes.ValidationError, "http raw body");
        }

        foreach (object candidate in HostileCorpus.JobIds(random))
        {
            (object jobId, string expected) = HostileCorpus.Expectation(candidate);
            Expect(await InvokeAsync<JobMessage>(hub, "cancel", $"{jobId}", jobId), expected, $"cancel {jobId}");
            Expect(Assert.Single(await InvokeAsync<JobMessage[]>(hub, "resume", $"{jobId}", jobId, 0)), expected, $"resume {jobId}");
            if (jobId is string text && text.Length > 0)
            {
                Expect(await ReadErrorAsync(await http.GetAsync(new Uri("api/jobs/" + Uri.EscapeDataString(text), UriKind.Relative)), expected), expected, "get " + text);
                Expect(await ReadErrorAsync(await http.PostAsync(new Uri($"api/jobs/{Uri.EscapeDataString(text)}/cancel", UriKind.Relative), null), expected), expected, "http cancel " + text);
            }
        }

        Assert.True(replies.Sent >= 1000, $"only {replies.Sent} hostile messages were sent");
        output.WriteLine(replies.Summary());
        Assert.Contains(ErrorCodes.ValidationError, replies.Codes);
        Assert.Contains(ErrorCodes.UnknownAction, replies.Codes);
        Assert.Contains(ErrorCodes.PayloadTooLarge, replies.Codes);
        Assert.Contains(ErrorCodes.NotFound, replies.Codes);
        await AssertNothingWrittenAsync();
        await AssertStillAnswersAsync(hub);
    }

    [Fact]
    public async Task BadTokens_AnswerUnauthorized_OnEveryClientRoute()
    {
        string foreignKeyToken = new TokenService(Options.Create(new AuthOptions { SigningKey = "another-signing-key-0123456789abcdef0123456789" }), TimeProvider.System).Issue(User, null, null);
        AuthenticationHeaderValue?[] credentials =
        [
            null,
            new("Bearer", "not-a-token"),
            new("Bearer", foreignKeyToken),
            new("Bearer", Stack.TokenFor(User) + "x"),
            new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:password"))),
        ];
        (HttpMethod Method, string Path)[] routes =
        [
            (HttpMethod.Post, "api/jobs"),
            (HttpMethod.Get, "api/jobs"),
            (HttpMethod.Get, "api/jobs/j0000000000000000000000000000000"),
            (HttpMethod.Get, "api/jobs/j0000000000000000000000000000000/events?afterSeq=0"),
            (HttpMethod.Post, "api/jobs/j0000000000000000000000000000000/cancel"),
            (HttpMethod.Post, "api/negotiate"),
        ];

        using var http = new HttpClient { BaseAddress = Stack.BaseAddress };
        foreach (AuthenticationHeaderValue? credential in credentials)
        {
            foreach ((HttpMethod method, string path) in routes)
            {
                using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
                request.Headers.Authorization = credential;
                if (method == HttpMethod.Post && path == "api/jobs")
                {
                    request.Content = JsonContent.Create(new { requestId = "bad-token", action = "simulate", payload = new { durationMs = 100 } });
                }

                JobMessage reply = await ReadErrorAsync(await http.SendAsync(request), ErrorCodes.Unauthorized, $"{method} {path} with {credential?.Scheme ?? "no"} credential");
                Assert.Equal(ErrorCodes.Unauthorized, reply.Error!.Code);
            }
        }

        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task RawUpstreamCalls_WithoutTheKey_WithAWrongSignature_OrReplayedForAnotherUser_AreRefused()
    {
        // Mallory's real connection through the emulator: the service has bound it to her with its connected event.
        await using HubClient mallory = await HubClient.NegotiateAndConnectAsync(Stack.BaseAddress, Stack.TokenFor("mallory"));
        Assert.Equal(MessageTypes.Result, (await mallory.SubmitAsync("mallory-echo", "echo", new { })).Type);
        string connectionId = mallory.Connection.ConnectionId!;
        string victim = new CallerIdentity("victim").OwnerId;
        string submit = """{"type":1,"invocationId":"1","target":"submit","arguments":[{"requestId":"forged","action":"simulate","payload":{"durationMs":60000}}]}""";
        using var http = new HttpClient { BaseAddress = Stack.BaseAddress };

        // The Functions host itself refuses a call without the function key, or with another key.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, Upstream("messages", "submit", key: null), connectionId, Sign(connectionId), victim, submit));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, Upstream("messages", "submit", key: "not-the-key"), connectionId, Sign(connectionId), victim, submit));

        // With the key, the app checks the signature: missing, wrong, or another connection's.
        foreach (string? signature in new[] { null, "", "sha256=" + new string('0', 64), Sign(connectionId, "not-the-access-key"), Sign("another-connection") })
        {
            (HttpStatusCode status, JsonElement body) = await CallAsync(http, Upstream("messages", "submit"), connectionId, signature, victim, submit);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(ErrorCodes.Unauthorized, body.GetProperty("error").GetProperty("code").GetString());
        }

        // Mallory's own signed pair, replayed with the victim's user id: refused for each method, and no rebinding either.
        foreach ((string target, string arguments, bool many) in new[]
        {
            ("submit", """{"requestId":"forged","action":"simulate","payload":{"durationMs":60000}}""", false),
            ("cancel", "\"j0000000000000000000000000000000\"", false),
            ("resume", "\"j0000000000000000000000000000000\",0", true),
        })
        {
            string invocation = $$"""{"type":1,"invocationId":"2","target":"{{target}}","arguments":[{{arguments}}]}""";
            (HttpStatusCode status, JsonElement body) = await CallAsync(http, Upstream("messages", target), connectionId, Sign(connectionId), victim, invocation);
            Assert.Equal(HttpStatusCode.OK, status);
            JsonElement result = body.GetProperty("result");
            Assert.Equal(ErrorCodes.Unauthorized, (many ? Assert.Single(result.EnumerateArray()) : result).GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(http, Upstream("connections", "connected"), connectionId, Sign(connectionId), victim, """{"type":10}""")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(http, Upstream("connections", "disconnected"), connectionId, Sign(connectionId), victim, """{"type":11}""")).Status);

        // A user id negotiate cannot have issued, and malformed calls with a valid signature.
        string fresh = "raw-" + Guid.NewGuid().ToString("N");
        (HttpStatusCode notIssuedStatus, JsonElement notIssued) = await CallAsync(http, Upstream("messages", "submit"), fresh, Sign(fresh), "a/b#c", submit);
        Assert.Equal(HttpStatusCode.Unauthorized, notIssuedStatus);
        Assert.Equal(ErrorCodes.Unauthorized, notIssued.GetProperty("error").GetProperty("code").GetString());
        AssertRefused(await CallAsync(http, Upstream("messages", "submit"), fresh, Sign(fresh), "raw-user", "{\"type\":1,"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError);
        AssertRefused(await CallAsync(http, Upstream("messages", "submit"), fresh, Sign(fresh), "raw-user", submit + "{}"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError);
        AssertRefused(await CallAsync(http, Upstream("elsewhere", "submit"), fresh, Sign(fresh), "raw-user", submit), HttpStatusCode.BadRequest, ErrorCodes.ValidationError);
        AssertRefused(await CallAsync(http, Upstream("messages", "submit", hub: "otherhub"), fresh, Sign(fresh), "raw-user", submit), HttpStatusCode.NotFound, ErrorCodes.NotFound);

        // Mallory's connection still works as hers; the victim's jobs were never touched.
        Assert.Equal(ErrorCodes.NotFound, (await mallory.CancelAsync("j0000000000000000000000000000000")).Error!.Code);
        await AssertNothingWrittenAsync();
    }

    /// <summary>A hub call whose failure names what was sent and what the app and the emulator logged.</summary>
    private async Task<T> InvokeAsync<T>(HubClient hub, string method, string what, params object?[] arguments)
    {
        try
        {
            return await hub.Connection.InvokeCoreAsync<T>(method, arguments);
        }
        catch (HubException ex)
        {
            throw new InvalidOperationException($"{method} {HostileCorpus.Shorten(what)} failed: {ex.Message}\n{Stack.Diagnostics()}", ex);
        }
    }

    private static void AssertRefused((HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode status, string code)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(code, answer.Body.GetProperty("error").GetProperty("code").GetString());
    }

    /// <summary>As the service signs: hex(HMAC-SHA256(accessKey, connectionId)), prefixed with sha256=.</summary>
    private static string Sign(string connectionId, string accessKey = SignalREmulator.AccessKey) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessKey), Encoding.UTF8.GetBytes(connectionId)));

    private static Uri Upstream(string category, string eventName, string? key = FunctionsHost.FunctionKey, string hub = "jobs") =>
        new($"api/upstream/{hub}/{category}/{eventName}" + (key is null ? "" : "?code=" + Uri.EscapeDataString(key)), UriKind.Relative);

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, Uri uri, string connectionId, string signature, string userId, string body) =>
        (await CallAsync(http, uri, connectionId, signature, userId, body)).Status;

    /// <summary>A call as the service makes it (X-ASRS headers, JSON body); the answer's JSON (completion or error), if any.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(HttpClient http, Uri uri, string connectionId, string? signature, string userId, string body)
    {
        string[] path = uri.OriginalString.Split('?')[0].Split('/');
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(UpstreamHeaders.ConnectionId, connectionId);
        if (signature is not null)
        {
            request.Headers.Add(UpstreamHeaders.Signature, signature);
        }

        request.Headers.Add(UpstreamHeaders.UserId, userId);
        request.Headers.Add(UpstreamHeaders.Hub, path[^3]);
        request.Headers.Add(UpstreamHeaders.Category, path[^2]);
        request.Headers.Add(UpstreamHeaders.Event, path[^1]);
        using HttpResponseMessage response = await http.SendAsync(request);
        string text = (await response.Content.ReadAsStringAsync()).TrimEnd('\u001e');
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<JobMessage> PostJobAsync(HttpClient http, byte[] body, string expected)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await ReadErrorAsync(await http.PostAsync(new Uri("api/jobs", UriKind.Relative), content), expected);
    }

    /// <summary>Asserts the status that goes with <paramref name="expected"/> and reads the error message.</summary>
    private static async Task<JobMessage> ReadErrorAsync(HttpResponseMessage response, string expected, string? what = null)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(JobApi.StatusCodeOf(expected) == (int)response.StatusCode,
                $"{what ?? response.RequestMessage?.RequestUri?.ToString()} answered {(int)response.StatusCode}, not {JobApi.StatusCodeOf(expected)}: {HostileCorpus.Shorten(body)}");
            return JsonSerializer.Deserialize(body, ProtocolJson.Default.JobMessage)!;
        }
    }

    /// <summary>No job row, index row, orchestration instance or blob: the stack has seen only hostile requests.</summary>
    private async Task AssertNothingWrittenAsync()
    {
        foreach (string table in new[] { "jobs", "userjobs", Stack.TaskHub + "Instances" })
        {
            foreach (TableEntity row in await TableRows.ReadIfExistsAsync(new TableClient(Stack.Azurite.ConnectionString, table)))
            {
                Assert.Fail($"A hostile request wrote the row {row.PartitionKey}/{row.RowKey} in {table}.");
            }
        }

        var blobs = new BlobContainerClient(Stack.Azurite.ConnectionString, "job-payloads");
        if (await blobs.ExistsAsync())
        {
            await foreach (Azure.Storage.Blobs.Models.BlobItem blob in blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
            {
                Assert.Fail($"A hostile request wrote the blob {blob.Name}.");
            }
        }
    }

    private async Task AssertStillAnswersAsync(HubClient hub)
    {
        JobMessage echo = await hub.SubmitAsync("after-storm", "echo", new { ok = true });
        Assert.True(echo.Ok, $"the app no longer answers through the upstream\n{Stack.Diagnostics()}");
        using HttpClient anonymous = Stack.CreateHttpClient(user: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("api/health", UriKind.Relative))).StatusCode);
    }
}
