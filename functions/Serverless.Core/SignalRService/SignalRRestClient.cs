using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Serverless.Core.SignalRService;

/// <summary>
/// The Azure SignalR Service data-plane REST API, as far as this app needs it: sends, and adding a connection to a group.
/// Every call goes through retry (exponential backoff with jitter, honouring Retry-After), a circuit breaker and a
/// per-attempt timeout. The operators' feed has a pipeline of its own (one retry, its own breaker), so a failing feed
/// never opens the breaker of clients' pushes.
/// </summary>
internal sealed class SignalRRestClient : IDisposable
{
    /// <summary>The service refuses larger bodies; refusing here gives a clear error instead of a 413.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The GA data-plane version that has the <c>/:send</c> operations.</summary>
    public const string SendApiVersion = "2022-06-01";

    /// <summary>The longest user or group id the data-plane API accepts.</summary>
    public const int MaxIdLength = 1024;

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly SignalRAccessTokens _tokens;
    private readonly Uri _serverEndpoint;
    private readonly string _hubPath;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly CircuitBreakerStateProvider _feedBreaker = new();
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ResiliencePipeline<HttpResponseMessage> _feedPipeline;
    private readonly ResiliencePipeline<HttpResponseMessage> _pastBreakerPipeline;
    private readonly TimeProvider _time;
    private readonly ILogger<SignalRRestClient> _logger;

    public SignalRRestClient(
        HttpClient http,
        SignalRConnectionString connection,
        SignalRAccessTokens tokens,
        IOptions<SignalRServiceOptions> options,
        TimeProvider time,
        ILogger<SignalRRestClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        SignalRServiceOptions settings = options.Value;
        _http = http;
        _tokens = tokens;
        _time = time;
        _logger = logger;
        _serverEndpoint = connection.ServerEndpoint;
        _hubPath = $"api/hubs/{HubPath(settings.HubName)}";
        _pipeline = BuildPipeline(settings, time, settings.MaxRetries, _breaker, "push");
        _feedPipeline = BuildPipeline(settings, time, Math.Min(settings.MaxRetries, 1), _feedBreaker, "operators' feed");
        _pastBreakerPipeline = BuildPipeline(settings, time, settings.MaxRetries, breaker: null, "push");
    }

    /// <summary>Closed when calls flow; Open (or HalfOpen) after repeated failures, when calls fail fast.</summary>
    public CircuitState BreakerState => _breaker.CircuitState;

    /// <summary>
    /// Posts <paramref name="body"/> (<c>{target, arguments}</c>) to the recipient. Throws
    /// <see cref="SignalRServiceException"/> when refused or failed after retries, and
    /// <see cref="BrokenCircuitException"/> while the breaker is open.
    /// </summary>
    public Task SendAsync(SignalRRecipient recipient, string id, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        SendAsync(recipient, id, body, _pipeline, cancellationToken);

    /// <summary>As <see cref="SendAsync(SignalRRecipient, string, ReadOnlyMemory{byte}, CancellationToken)"/>, with retries and timeout but no breaker: while an operator holds the circuit closed.</summary>
    public Task SendPastBreakerAsync(SignalRRecipient recipient, string id, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        SendAsync(recipient, id, body, _pastBreakerPipeline, cancellationToken);

    private async Task SendAsync(SignalRRecipient recipient, string id, ReadOnlyMemory<byte> body, ResiliencePipeline<HttpResponseMessage> pipeline, CancellationToken cancellationToken)
    {
        if (body.Length > MaxBodyBytes)
        {
            throw new SignalRServiceException(
                $"The message is {body.Length} bytes; Azure SignalR Service accepts at most {MaxBodyBytes} bytes per REST call. It was not sent (clients get it on resume).");
        }

        string segment = recipient switch
        {
            SignalRRecipient.User => "users",
            SignalRRecipient.Connection => "connections",
            SignalRRecipient.Group => "groups",
            _ => throw new ArgumentOutOfRangeException(nameof(recipient)),
        };
        string relative = $"{_hubPath}/{segment}/{PathSegment(recipient, id)}/:send?api-version={SendApiVersion}";
        await CallAsync(HttpMethod.Post, relative, body, pipeline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Posts <paramref name="body"/> to a group of the operators' feed, through the feed's own pipeline.</summary>
    public async Task SendToFeedGroupAsync(string group, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (body.Length > MaxBodyBytes)
        {
            throw new SignalRServiceException($"The message is {body.Length} bytes; Azure SignalR Service accepts at most {MaxBodyBytes} bytes per REST call. It was not sent.");
        }

        string relative = $"{_hubPath}/groups/{PathSegment(SignalRRecipient.Group, group)}/:send?api-version={SendApiVersion}";
        await CallAsync(HttpMethod.Post, relative, body, _feedPipeline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds a connection to a group of the operators' feed (<c>PUT …/groups/{group}/connections/{connectionId}</c>); the
    /// service drops it from its groups when it closes. Throws <see cref="SignalRServiceException"/> when refused (404: no such connection).
    /// </summary>
    public async Task AddToFeedGroupAsync(string group, string connectionId, CancellationToken cancellationToken)
    {
        string relative = $"{_hubPath}/groups/{PathSegment(SignalRRecipient.Group, group)}/connections/{PathSegment(SignalRRecipient.Connection, connectionId)}?api-version={SendApiVersion}";
        await CallAsync(HttpMethod.Put, relative, ReadOnlyMemory<byte>.Empty, _feedPipeline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the service still holds the connection (<c>HEAD …/connections/{connectionId}</c>: 200 or 404). Throws
    /// <see cref="SignalRServiceException"/> for any other answer, or none.
    /// </summary>
    public async Task<bool> ConnectionExistsAsync(string connectionId, CancellationToken cancellationToken)
    {
        string relative = $"{ConnectionPath(connectionId)}?api-version={SendApiVersion}";
        var url = new Uri(_serverEndpoint + relative);
        using HttpResponseMessage response = await SendWithRetriesAsync(HttpMethod.Head, url, relative, ReadOnlyMemory<byte>.Empty, _pastBreakerPipeline, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, HttpMethod.Head, url, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Closes a client connection (<c>DELETE …/connections/{connectionId}</c>); the client is told <paramref name="reason"/>.
    /// Throws <see cref="SignalRServiceException"/> when refused or failed after retries.
    /// </summary>
    public Task CloseConnectionAsync(string connectionId, string reason, CancellationToken cancellationToken) =>
        CallAsync(
            HttpMethod.Delete,
            $"{ConnectionPath(connectionId)}?reason={Uri.EscapeDataString(reason)}&api-version={SendApiVersion}",
            ReadOnlyMemory<byte>.Empty,
            _pastBreakerPipeline,
            cancellationToken);

    public void Dispose() => _http.Dispose();

    private string ConnectionPath(string connectionId) => $"{_hubPath}/connections/{PathSegment(SignalRRecipient.Connection, connectionId)}";

    /// <summary>
    /// <paramref name="id"/> as one escaped path segment that the service decodes back to exactly <paramref name="id"/>,
    /// escaped as the service's own SDK does (<see cref="Uri.EscapeDataString(string)"/>). Ids no escaping can carry are
    /// refused: a <c>/</c> (<c>%2F</c> is not decoded back in a path, so the send would address another id), and
    /// <c>.</c> / <c>..</c> (dot segments are removed, so the send would go to the hub or the whole service).
    /// </summary>
    internal static string PathSegment(SignalRRecipient recipient, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        string what = recipient.ToString().ToLowerInvariant();
        if (id.Length > MaxIdLength)
        {
            throw new SignalRServiceException($"The {what} id is {id.Length} characters; Azure SignalR Service takes at most {MaxIdLength}. Nothing was sent.");
        }

        if (id.Contains('/', StringComparison.Ordinal) || id is "." or "..")
        {
            throw new SignalRServiceException(
                $"The {what} id '{id}' cannot be addressed in an Azure SignalR Service REST path ('/' and dot segments do not survive escaping). Nothing was sent.");
        }

        return Uri.EscapeDataString(id);
    }

    /// <summary>The hub as it appears in REST paths and client URLs: lower-cased, as the service names hubs.</summary>
    internal static string HubPath(string hubName) => Uri.EscapeDataString(hubName.ToLowerInvariant());

    private async Task CallAsync(
        HttpMethod method, string relativeUrl, ReadOnlyMemory<byte> body, ResiliencePipeline<HttpResponseMessage> pipeline, CancellationToken cancellationToken)
    {
        var url = new Uri(_serverEndpoint + relativeUrl);
        using HttpResponseMessage response = await SendWithRetriesAsync(method, url, relativeUrl, body, pipeline, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, method, url, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(
        HttpMethod method, Uri url, string relativeUrl, ReadOnlyMemory<byte> body, ResiliencePipeline<HttpResponseMessage> pipeline, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    // A request message cannot be sent twice, and each attempt gets a token that is still fresh.
                    using var request = new HttpRequestMessage(method, url) { Content = new ReadOnlyMemoryContent(body) };
                    request.Content.Headers.ContentType = JsonContentType;
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.CreateRestToken(relativeUrl));
                    return await _http.SendAsync(request, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            throw new SignalRServiceException($"Azure SignalR Service did not answer {method} {url.AbsolutePath}: {ex.Message}", ex);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, Uri url, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new SignalRServiceException(
            $"Azure SignalR Service answered {(int)response.StatusCode} to {method} {url.AbsolutePath}: {(detail.Length > 300 ? detail[..300] : detail)}",
            response.StatusCode);
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(
        SignalRServiceOptions settings, TimeProvider time, int maxRetries, CircuitBreakerStateProvider? breaker, string path)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (maxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, settings.MaxRetryDelay)),
                OnRetry = args =>
                {
                    Log.Retrying(_logger, path, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (breaker is null)
        {
            return builder.AddTimeout(settings.AttemptTimeout).Build();
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                SamplingDuration = TimeSpan.FromSeconds(30),
                MinimumThroughput = settings.BreakerMinimumThroughput,
                BreakDuration = settings.BreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                StateProvider = breaker,
                OnOpened = args =>
                {
                    Log.BreakerOpened(_logger, path, args.BreakDuration.TotalSeconds, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Log.BreakerClosed(_logger, path);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
            || (int)response.StatusCode >= 500,
        _ => false,
    };

    /// <summary>The server's Retry-After (seconds or a date), capped; null to use the exponential backoff.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        RetryConditionHeaderValue? header = response?.Headers.RetryAfter;
        TimeSpan? delay = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow(),
            _ => null,
        };
        return delay is { } wait ? TimeSpan.FromTicks(Math.Clamp(wait.Ticks, 0, cap.Ticks)) : null;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name ?? ((int?)outcome.Result?.StatusCode)?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
