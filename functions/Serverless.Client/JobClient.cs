using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Protocol;
using Serverless.Protocol.MessagePack;

namespace Serverless.Client;

/// <summary>
/// A client of the job service: one SignalR connection for submit / cancel / watch (reconnecting and resuming
/// by itself), and the HTTP API for status, listing and events.
/// </summary>
public sealed partial class JobClient : IAsyncDisposable
{
    private readonly JobClientOptions _options;
    private readonly HttpClient _http;
    private readonly JobHttpApi _api;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentDictionary<JobWatch, byte> _watches = new();
    private HubConnection? _connection;
    private string? _negotiatedToken;
    private int _reconnections;

    /// <summary>A client for the service at <see cref="JobClientOptions.BaseUrl"/>; nothing connects until the first call.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ValidationException"><paramref name="options"/> breaks one of its bounds (e.g. no base URL).</exception>
    public JobClient(JobClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        _options = options;
        _http = new HttpClient { BaseAddress = WithTrailingSlash(options.BaseUrl!), Timeout = options.HttpTimeout };
        _api = new JobHttpApi(_http, options.TokenProvider);
    }

    /// <summary>The connection's state; <see cref="HubConnectionState.Disconnected"/> before <see cref="ConnectAsync"/>.</summary>
    public HubConnectionState State => _connection?.State ?? HubConnectionState.Disconnected;

    /// <summary>How many times the connection came back after a drop.</summary>
    internal int Reconnections => Volatile.Read(ref _reconnections);

    /// <summary>Connects the SignalR connection (negotiating first when configured); does nothing when already connected.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) =>
        await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Stops the connection without disposing the client; watches in progress end with an error.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        if (_connection is { } connection)
        {
            await connection.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Submits a request. Answers <c>accepted</c> (async job: watch its id) or a successful sync <c>result</c>;
    /// a refused request or a failed sync handler throws <see cref="JobClientException"/>. A missing request id is generated.
    /// </summary>
    public async Task<JobMessage> SubmitAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sent = new JobRequest
        {
            RequestId = request.RequestId ?? NewRequestId(),
            Action = request.Action,
            Payload = request.Payload,
            Priority = request.Priority,
        };
        JobMessage reply = await InvokeAsync<JobMessage>(HubMethods.Submit, [sent], cancellationToken).ConfigureAwait(false);
        return reply.Error is { } error ? throw new JobClientException(error) : reply;
    }

    /// <summary>Asks for a job to stop; answers its <c>status</c> (the job ends later with <c>cancelled</c>, unless it already ended).</summary>
    public async Task<JobMessage> CancelAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        JobMessage reply = await InvokeAsync<JobMessage>(HubMethods.Cancel, [jobId], cancellationToken).ConfigureAwait(false);
        return reply.Error is { } error ? throw new JobClientException(error) : reply;
    }

    /// <summary>
    /// Operators only: retries a failed job from its failed stage (<c>POST /api/operators/jobs/{id}/retry</c>); answers its
    /// <c>status</c>, queued again. VALIDATION_ERROR when the job is not failed.
    /// </summary>
    public Task<JobMessage> RetryAsOperatorAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return _api.RetryAsOperatorAsync(jobId, cancellationToken);
    }

    /// <summary>A job's current state (<c>GET /api/jobs/{id}</c>).</summary>
    public Task<JobView> GetStatusAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return _api.GetAsync(jobId, cancellationToken);
    }

    /// <summary>The caller's own jobs, newest first (<c>GET /api/jobs</c>); null leaves the server's default.</summary>
    public Task<IReadOnlyList<JobView>> ListAsync(string? status = null, int? limit = null, CancellationToken cancellationToken = default) =>
        _api.ListAsync(status, limit, cancellationToken);

    /// <summary>The persisted messages after <paramref name="afterSeq"/> (<c>GET /api/jobs/{id}/events</c>).</summary>
    public Task<IReadOnlyList<JobMessage>> GetEventsAsync(string jobId, long afterSeq = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSeq);
        return _api.GetEventsAsync(jobId, afterSeq, cancellationToken);
    }

    /// <summary>Stops the connection and the HTTP client; watches still open end with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (_connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        foreach (JobWatch watch in _watches.Keys)
        {
            watch.Close(new ObjectDisposedException(nameof(JobClient)));
        }

        _http.Dispose();
        _connectLock.Dispose();
        _lifetime.Dispose();
    }

    internal static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    /// <summary>A request id in the protocol's alphabet, unique enough to never collide by chance.</summary>
    internal static string NewRequestId() => "r-" + Guid.NewGuid().ToString("N");

    private async Task<T> InvokeAsync<T>(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        HubConnection connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await connection.InvokeCoreAsync<T>(method, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (HubException ex)
        {
            throw new JobClientException(new JobError(ErrorCodes.Internal, ex.Message), ex);
        }
        catch (Exception ex) when ((ex is InvalidOperationException or IOException || WebSocketsException(ex)) && !cancellationToken.IsCancellationRequested)
        {
            // The connection dropped during the call or is reconnecting; the caller may retry once it is back.
            throw new JobClientException(JobError.Unavailable($"The connection is not available ({ex.Message})."), ex) { IsConnectionFailure = true };
        }
    }

    private async Task<HubConnection> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
        if (_connection is { State: HubConnectionState.Connected } connected)
        {
            return connected;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _connection ??= await BuildConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (_connection.State == HubConnectionState.Disconnected)
            {
                await StartAsync(_connection, cancellationToken).ConfigureAwait(false);
            }

            return _connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private static async Task StartAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new JobClientException(new JobError(ErrorCodes.Unauthorized, "The service refused the token."), ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException || WebSocketsException(ex))
        {
            throw new JobClientException(JobError.Unavailable($"Could not connect: {ex.Message}"), ex) { IsConnectionFailure = true };
        }
    }

    private async Task<HubConnection> BuildConnectionAsync(CancellationToken cancellationToken)
    {
        Uri hubUrl;
        if (_options.UseNegotiate)
        {
            NegotiateReply reply = await _api.NegotiateAsync(cancellationToken).ConfigureAwait(false);
            hubUrl = new Uri(reply.Url);
            _negotiatedToken = reply.AccessToken;
        }
        else
        {
            hubUrl = new Uri(WithTrailingSlash(_options.BaseUrl!), _options.HubPath.TrimStart('/'));
        }

        IHubConnectionBuilder builder = new HubConnectionBuilder()
            .WithUrl(hubUrl, http => http.AccessTokenProvider = GetHubTokenAsync)
            .WithAutomaticReconnect(new ReconnectPolicy(_options.ReconnectFor));
        HubConnection connection = (_options.UseMessagePack
            ? builder.AddMessagePackProtocol(ProtocolMessagePack.Configure)
            : builder.AddJsonProtocol(json =>
            {
                // Exactly the server's settings, so both sides read and write the same protocol JSON.
                json.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ProtocolJson.Default);
                json.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
                json.PayloadSerializerOptions.MaxDepth = ProtocolLimits.MaxJsonDepth * 8;
            }))
            .Build();
        connection.On<JobMessage>(MessageTypes.Target, OnPushed);
        connection.Reconnected += OnReconnectedAsync;
        connection.Closed += OnClosedAsync;
        return connection;
    }

    private async Task<string?> GetHubTokenAsync()
    {
        if (!_options.UseNegotiate)
        {
            return _options.TokenProvider is { } provider ? await provider(_lifetime.Token).ConfigureAwait(false) : null;
        }

        // The first connection uses the token negotiated with the URL; reconnections negotiate afresh, since it may have expired.
        string? token = Interlocked.Exchange(ref _negotiatedToken, null);
        return token ?? (await _api.NegotiateAsync(_lifetime.Token).ConfigureAwait(false)).AccessToken;
    }

    private void OnPushed(JobMessage message)
    {
        foreach (JobWatch watch in _watches.Keys)
        {
            watch.Offer(message);
        }
    }

    private Task OnReconnectedAsync(string? connectionId)
    {
        Interlocked.Increment(ref _reconnections);
        foreach (JobWatch watch in _watches.Keys)
        {
            watch.RequestResync();
        }

        return Task.CompletedTask;
    }

    private Task OnClosedAsync(Exception? exception)
    {
        foreach (JobWatch watch in _watches.Keys)
        {
            watch.Close(exception);
        }

        return Task.CompletedTask;
    }

    private static bool WebSocketsException(Exception exception) => exception is System.Net.WebSockets.WebSocketException;
}
