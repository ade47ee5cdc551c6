using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Polly.CircuitBreaker;
using Serverless.Core.Notifications;
using Serverless.Core.Security;
using Serverless.Core.SignalRService;
using Serverless.Functions.Tests.Infrastructure;
using Serverless.Protocol;

namespace Serverless.Functions.Tests;

/// <summary>The REST notifier against a local fake of the data-plane endpoint, checked against what the docs require.</summary>
public sealed class SignalRRestClientContractTests : IAsyncLifetime
{
    private const string AccessKey = TestApp.AccessKey;
    private FakeSignalRService _service = null!;

    public async Task InitializeAsync() => _service = await FakeSignalRService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task SendToUser_PostsDocumentedRequest()
    {
        using SignalRRestClient rest = CreateSut();
        var message = new JobMessage { Type = MessageTypes.Progress, JobId = "j1", Seq = 3, Percent = 50 };
        DateTimeOffset before = DateTimeOffset.UtcNow;

        await new SignalRClientNotifier(rest, new PushCircuitHold(null, TimeProvider.System)).SendToUserAsync("alice", message, CancellationToken.None);

        RecordedRequest request = Assert.Single(_service.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/hubs/jobs/users/alice/:send", request.PathOnly);
        Assert.Equal(SignalRRestClient.SendApiVersion, request.ApiVersion);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        JsonWebToken token = await AssertSignedWithAccessKeyAsync(request, Audience(request));
        Assert.InRange(token.ValidTo, before.UtcDateTime.AddMinutes(4), DateTime.UtcNow.AddMinutes(5).AddSeconds(1));

        using JsonDocument body = JsonDocument.Parse(request.Body);
        Assert.Equal(["target", "arguments"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(MessageTypes.Target, body.RootElement.GetProperty("target").GetString());
        JsonElement argument = Assert.Single(body.RootElement.GetProperty("arguments").EnumerateArray());
        Assert.Equal("progress", argument.GetProperty("type").GetString());
        Assert.Equal(3, argument.GetProperty("seq").GetInt64());
    }

    [Theory]
    [InlineData(nameof(SignalRRecipient.Connection), "conn-1", "/api/hubs/jobs/connections/conn-1/:send")]
    [InlineData(nameof(SignalRRecipient.Group), "ops team", "/api/hubs/jobs/groups/ops%20team/:send")]
    [InlineData(nameof(SignalRRecipient.User), "tenant|user", "/api/hubs/jobs/users/tenant%7Cuser/:send")]
    public async Task Send_EachRecipient_UsesItsPathWithEscapedId(string recipient, string id, string path)
    {
        using SignalRRestClient rest = CreateSut();

        await rest.SendAsync(Enum.Parse<SignalRRecipient>(recipient), id, Encoding.UTF8.GetBytes("""{"target":"job","arguments":[]}"""), CancellationToken.None);

        RecordedRequest request = Assert.Single(_service.Requests);
        Assert.Equal(path, request.PathOnly);
        await AssertSignedWithAccessKeyAsync(request, Audience(request));
    }

    [Theory]
    [InlineData("tid:oid")]
    [InlineData("a b?c#d%2Fe+f&g=h;i,j@k")]
    [InlineData("%2E%2E")]
    [InlineData("user\\name")]
    [InlineData("ünïcödé-用户")]
    [InlineData("...")]
    public async Task SendToUser_ReservedCharacters_ServiceDecodesTheSameUserId(string userId)
    {
        using SignalRRestClient rest = CreateSut();

        await rest.SendAsync(SignalRRecipient.User, userId, "{}"u8.ToArray(), CancellationToken.None);

        RecordedRequest request = Assert.Single(_service.Requests);
        string escaped = Uri.EscapeDataString(userId);
        Assert.Equal($"/api/hubs/jobs/users/{escaped}/:send", request.PathOnly);
        Assert.Equal($"/api/hubs/jobs/users/{userId}/:send", request.DecodedPath);
        await AssertSignedWithAccessKeyAsync(request, Audience(request));
    }

    [Theory]
    [InlineData(nameof(SignalRRecipient.User), "tid/oid")]
    [InlineData(nameof(SignalRRecipient.User), "/")]
    [InlineData(nameof(SignalRRecipient.User), "..")]
    [InlineData(nameof(SignalRRecipient.User), ".")]
    [InlineData(nameof(SignalRRecipient.Group), "..")]
    public async Task Send_IdNoPathCanCarry_RefusedBeforeSending(string recipient, string id)
    {
        using SignalRRestClient rest = CreateSut();

        var error = await Assert.ThrowsAsync<SignalRServiceException>(
            () => rest.SendAsync(Enum.Parse<SignalRRecipient>(recipient), id, "{}"u8.ToArray(), CancellationToken.None));

        Assert.Contains("cannot be addressed", error.Message, StringComparison.Ordinal);
        Assert.Empty(_service.Requests);
    }

    [Fact]
    public async Task SendToUser_IdOverServiceLimit_RefusedBeforeSending()
    {
        using SignalRRestClient rest = CreateSut();

        var error = await Assert.ThrowsAsync<SignalRServiceException>(
            () => rest.SendAsync(SignalRRecipient.User, new string('u', SignalRRestClient.MaxIdLength + 1), "{}"u8.ToArray(), CancellationToken.None));

        Assert.Contains("at most 1024", error.Message, StringComparison.Ordinal);
        Assert.Empty(_service.Requests);
    }

    [Fact]
    public async Task Send_429WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        _service.Respond = n => n == 0 ? (429, 1) : (202, null);
        using SignalRRestClient rest = CreateSut(o => o.MaxRetryDelay = TimeSpan.FromSeconds(5));

        await rest.SendAsync(SignalRRecipient.User, "alice", "{}"u8.ToArray(), CancellationToken.None);

        RecordedRequest[] requests = [.. _service.Requests];
        Assert.Equal(2, requests.Length);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), "Retry-After: 1 must be honoured");
    }

    [Fact]
    public async Task Send_503ThenSuccess_RetriesWithBackoff()
    {
        _service.Respond = n => n < 2 ? (503, null) : (202, null);
        using SignalRRestClient rest = CreateSut();

        await rest.SendAsync(SignalRRecipient.User, "alice", "{}"u8.ToArray(), CancellationToken.None);

        Assert.Equal(3, _service.Requests.Count);
    }

    [Fact]
    public async Task Send_PersistentBadRequest_FailsWithoutRetryAndSaysWhy()
    {
        _service.Respond = _ => (400, null);
        using SignalRRestClient rest = CreateSut();

        var error = await Assert.ThrowsAsync<SignalRServiceException>(
            () => rest.SendAsync(SignalRRecipient.User, "alice", "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Single(_service.Requests);
    }

    [Fact]
    public async Task Send_RepeatedFailures_OpenBreakerThenFailFast()
    {
        _service.Respond = _ => (503, null);
        using SignalRRestClient rest = CreateSut(o =>
        {
            o.MaxRetries = 0;
            o.BreakerMinimumThroughput = 3;
        });

        for (int i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SignalRServiceException>(
                () => rest.SendAsync(SignalRRecipient.User, "alice", "{}"u8.ToArray(), CancellationToken.None));
        }

        Assert.Equal(CircuitState.Open, rest.BreakerState);
        await Assert.ThrowsAsync<BrokenCircuitException>(
            () => rest.SendAsync(SignalRRecipient.User, "alice", "{}"u8.ToArray(), CancellationToken.None));
        Assert.Equal(3, _service.Requests.Count);
    }

    [Fact]
    public async Task Send_BodyOver1MB_RefusedBeforeSending()
    {
        using SignalRRestClient rest = CreateSut();
        var huge = new JobMessage { Type = MessageTypes.Completed, JobId = "j1", Message = new string('x', SignalRRestClient.MaxBodyBytes) };

        var error = await Assert.ThrowsAsync<SignalRServiceException>(
            () => new SignalRClientNotifier(rest, new PushCircuitHold(null, TimeProvider.System)).SendToUserAsync("alice", huge, CancellationToken.None));

        Assert.Contains("at most 1048576 bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(_service.Requests);
    }

    [Fact]
    public async Task Send_ServiceDown_FailsWithClearError()
    {
        string deadUrl = _service.BaseUrl;
        await _service.DisposeAsync();
        _service = await FakeSignalRService.StartAsync();
        using SignalRRestClient rest = CreateSut(o => o.MaxRetries = 1, deadUrl);

        var error = await Assert.ThrowsAsync<SignalRServiceException>(
            () => rest.SendAsync(SignalRRecipient.User, "alice", "{}"u8.ToArray(), CancellationToken.None));

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ServerEndpoint_CallsItWithTheServiceEndpointsAudience()
    {
        // The service's name in Endpoint, the app's route to it (a gateway, a private endpoint) in ServerEndpoint.
        using SignalRRestClient rest = CreateSut(connectionString: $"Endpoint=https://demo.service.signalr.net;ServerEndpoint={_service.BaseUrl}/gateway;AccessKey={AccessKey};Version=1.0;");

        await rest.SendAsync(SignalRRecipient.User, "alice", "{}"u8.ToArray(), CancellationToken.None);

        RecordedRequest request = Assert.Single(_service.Requests);
        Assert.Equal("/gateway/api/hubs/jobs/users/alice/:send", request.PathOnly);
        await AssertSignedWithAccessKeyAsync(request, $"https://demo.service.signalr.net/api/hubs/jobs/users/alice/:send?api-version={SignalRRestClient.SendApiVersion}");
    }

    [Fact]
    public async Task Send_PortAndMixedCaseHub_LowerCaseHubAndNoPortInAudience()
    {
        var endpoint = new Uri(_service.BaseUrl);
        using SignalRRestClient rest = CreateSut(
            o => o.HubName = "JobsHub",
            connectionString: $"Endpoint=http://{endpoint.Host};Port={endpoint.Port};AccessKey={AccessKey};Version=1.0;");

        await rest.SendAsync(SignalRRecipient.Group, "ops", "{}"u8.ToArray(), CancellationToken.None);

        RecordedRequest request = Assert.Single(_service.Requests);
        Assert.Equal("/api/hubs/jobshub/groups/ops/:send", request.PathOnly);
        await AssertSignedWithAccessKeyAsync(request, $"http://{endpoint.Host}/api/hubs/jobshub/groups/ops/:send?api-version={SignalRRestClient.SendApiVersion}");
    }

    // As the service's SDK builds it: the request's path and query on scheme://host/ of the endpoint, no port.
    private string Audience(RecordedRequest request) => $"{new Uri(_service.BaseUrl).Scheme}://{new Uri(_service.BaseUrl).Host}{request.RawTarget}";

    private SignalRRestClient CreateSut(Action<SignalRServiceOptions>? configure = null, string? endpoint = null, string? connectionString = null)
    {
        var options = new SignalRServiceOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(2) };
        configure?.Invoke(options);
        var connection = SignalRConnectionString.Parse(connectionString ?? $"Endpoint={endpoint ?? _service.BaseUrl};AccessKey={AccessKey};Version=1.0;");
        var tokenService = new TokenService(Options.Create(new AuthOptions { SigningKey = TestApp.SigningKey }), TimeProvider.System);
        return new SignalRRestClient(
            new HttpClient(),
            connection,
            new SignalRAccessTokens(connection, tokenService),
            Options.Create(options),
            TimeProvider.System,
            NullLogger<SignalRRestClient>.Instance);
    }

    private static async Task<JsonWebToken> AssertSignedWithAccessKeyAsync(RecordedRequest request, string expectedAudience)
    {
        Assert.StartsWith("Bearer ", request.Authorization, StringComparison.Ordinal);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(request.Authorization["Bearer ".Length..], new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(AccessKey)),
            ValidAudience = expectedAudience,
            ValidateIssuer = false,
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }
}
