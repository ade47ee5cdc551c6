using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Protocol;
using Serverless.Protocol.MessagePack;

namespace Serverless.Testing;

/// <summary>
/// The official .NET SignalR client on a real connection, as a test sees it: calls the hub methods and records every
/// pushed <c>job</c> message. Connects straight to a hub URL, or through <c>POST /api/negotiate</c> as clients do in Azure.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<JobMessage> _received = new();

    // Replaced on every message, so every waiter wakes (a semaphore would wake one waiter per message).
    private TaskCompletionSource _arrived = NewSignal();

    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubClient(HubConnection connection)
    {
        Connection = connection;

        // Subscribed before the connection starts, so a close right after the handshake is not missed.
        connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        connection.On<JobMessage>(MessageTypes.Target, message =>
        {
            _received.Enqueue(message);
            Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
        });
    }

    public HubConnection Connection { get; }

    public IReadOnlyList<JobMessage> Received => [.. _received];

    /// <summary>Completes when the connection closes, with the error it closed with (the server's reason, if it gave one).</summary>
    public Task<Exception?> Closed => _closed.Task;

    /// <summary>Connects to <paramref name="hubUrl"/> with <paramref name="token"/> as the access token.</summary>
    public static Task<HubClient> ConnectAsync(Uri hubUrl, string token, CancellationToken cancellationToken = default) =>
        ConnectAsync(hubUrl, token, messagePack: false, cancellationToken);

    /// <summary>
    /// Connects to <paramref name="hubUrl"/> with <paramref name="token"/>, speaking the MessagePack hub protocol (configured
    /// as the service's .NET clients configure it) when <paramref name="messagePack"/> is true, else JSON.
    /// </summary>
    public static async Task<HubClient> ConnectAsync(Uri hubUrl, string token, bool messagePack, CancellationToken cancellationToken = default)
    {
        IHubConnectionBuilder builder = new HubConnectionBuilder()
            .WithUrl(hubUrl, options => options.AccessTokenProvider = () => Task.FromResult<string?>(token));
        if (messagePack)
        {
            builder.AddMessagePackProtocol(ProtocolMessagePack.Configure);
        }
        else
        {
            builder.AddJsonProtocol(options =>
            {
                options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ProtocolJson.Default);
                options.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            });
        }

        var client = new HubClient(builder.Build());
        await client.Connection.StartAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <summary>Asks the app's <c>/api/negotiate</c> where to connect, then connects there with the token it returned.</summary>
    public static Task<HubClient> NegotiateAndConnectAsync(Uri appBaseAddress, string appToken, CancellationToken cancellationToken = default) =>
        NegotiateAndConnectAsync(appBaseAddress, appToken, "api/negotiate", cancellationToken);

    /// <summary>Asks the app's negotiate endpoint at <paramref name="route"/> where to connect, then connects there with the token it returned.</summary>
    public static Task<HubClient> NegotiateAndConnectAsync(Uri appBaseAddress, string appToken, string route, CancellationToken cancellationToken = default) =>
        NegotiateAndConnectAsync(appBaseAddress, appToken, route, messagePack: false, cancellationToken);

    /// <summary>As <see cref="NegotiateAndConnectAsync(Uri, string, string, CancellationToken)"/>, in MessagePack when <paramref name="messagePack"/> is true.</summary>
    public static async Task<HubClient> NegotiateAndConnectAsync(Uri appBaseAddress, string appToken, string route, bool messagePack, CancellationToken cancellationToken = default)
    {
        HubNegotiation negotiation = await HubNegotiation.RequestAsync(appBaseAddress, appToken, route, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(negotiation.Url, negotiation.AccessToken, messagePack, cancellationToken).ConfigureAwait(false);
    }

    public Task<JobMessage> SubmitAsync(string requestId, string action, object? payload = null, string? priority = null)
    {
        var request = new JobRequest
        {
            RequestId = requestId,
            Action = action,
            Payload = payload is null ? default : JsonSerializer.SerializeToElement(payload),
            Priority = priority,
        };
        return Connection.InvokeAsync<JobMessage>("submit", request);
    }

    public Task<JobMessage[]> ResumeAsync(string jobId, long afterSeq) => Connection.InvokeAsync<JobMessage[]>("resume", jobId, afterSeq);

    public Task<JobMessage> CancelAsync(string jobId) => Connection.InvokeAsync<JobMessage>("cancel", jobId);

    /// <summary>Waits until a pushed message of the job matches <paramref name="condition"/>; returns the job's messages so far.</summary>
    public async Task<IReadOnlyList<JobMessage>> WaitForAsync(string jobId, Func<JobMessage, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task arrived = Volatile.Read(ref _arrived).Task;
            List<JobMessage> messages = [.. _received.Where(m => m.JobId == jobId)];
            if (messages.Any(condition))
            {
                return messages;
            }

            try
            {
                await arrived.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"Job {jobId}: no matching pushed message within {timeout}; got: {string.Join(", ", messages.Select(m => $"{m.Type}#{m.Seq}"))}");
            }
        }
    }

    /// <summary>The pushed messages of a job up to and including its terminal message.</summary>
    public Task<IReadOnlyList<JobMessage>> WaitForTerminalAsync(string jobId, TimeSpan timeout) =>
        WaitForAsync(jobId, m => MessageTypes.IsTerminal(m.Type), timeout);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync().ConfigureAwait(false);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
