using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>
/// The SignalR JSON hub protocol over a bare WebSocket, written from docs/PROTOCOL.md and nothing else: what a client
/// without a SignalR library does. A test can send bytes a SignalR client would never write (malformed frames, invalid
/// UTF-8, unpaired surrogate escapes) and read the answers. Records every <c>job</c> push it reads while waiting.
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    public const char RecordSeparator = '\u001e';
    private const int InvocationType = 1;
    private const int CompletionType = 3;
    private const int CloseType = 7;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly List<JsonElement> _pushed = [];
    private int _nextId;

    public WebSocketState State => _socket.State;

    /// <summary>Every <c>job</c> message pushed so far, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Pushed => _pushed;

    /// <summary>Connects to <paramref name="path"/> on <paramref name="baseAddress"/> (the local hub) with <paramref name="token"/>.</summary>
    public static Task<RawHubClient> ConnectAsync(Uri baseAddress, string path, string token) =>
        ConnectAsync(new UriBuilder(baseAddress) { Path = path }.Uri, token);

    /// <summary>Asks the app's <c>/api/negotiate</c> where to connect, then connects there: the same steps on both hosts.</summary>
    public static async Task<RawHubClient> NegotiateAndConnectAsync(Uri appBaseAddress, string appToken)
    {
        HubNegotiation negotiation = await HubNegotiation.RequestAsync(appBaseAddress, appToken).ConfigureAwait(false);
        return await ConnectAsync(negotiation.Url, negotiation.AccessToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects to the hub URL (http or ws; a query such as Azure SignalR Service's <c>?hub=</c> is kept) with the token
    /// as <c>access_token</c>, and completes the JSON handshake.
    /// </summary>
    public static async Task<RawHubClient> ConnectAsync(Uri hubUrl, string token)
    {
        ArgumentNullException.ThrowIfNull(hubUrl);
        var client = new RawHubClient();
        await client._socket.ConnectAsync(WebSocketUrl(hubUrl, token), CancellationToken.None).ConfigureAwait(false);
        await client.SendTextAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        using JsonDocument handshake = JsonDocument.Parse(await client.ReceiveAsync(timeout.Token).ConfigureAwait(false));
        if (handshake.RootElement.TryGetProperty("error", out JsonElement error))
        {
            throw new InvalidOperationException("Handshake refused: " + error.GetString());
        }

        return client;
    }

    /// <summary>The WebSocket URL of a hub URL: ws(s) scheme, the query kept, <c>access_token</c> added.</summary>
    public static Uri WebSocketUrl(Uri hubUrl, string token)
    {
        ArgumentNullException.ThrowIfNull(hubUrl);
        var url = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme is "https" or "wss" ? "wss" : "ws", Port = hubUrl.Port };
        string query = url.Query.TrimStart('?');
        url.Query = (query.Length > 0 ? query + "&" : "") + "access_token=" + Uri.EscapeDataString(token);
        return url.Uri;
    }

    /// <summary>Invokes <paramref name="target"/> with arguments written as raw JSON text; answers the completion message.</summary>
    public Task<JsonElement> InvokeAsync(string target, string argumentsJson)
    {
        string id = (++_nextId).ToString(CultureInfo.InvariantCulture);
        return InvokeRawAsync(Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":[{argumentsJson}]}}"), id);
    }

    /// <summary>Sends <paramref name="message"/> bytes (without the separator) and waits for the completion of <paramref name="invocationId"/>.</summary>
    public async Task<JsonElement> InvokeRawAsync(byte[] message, string invocationId)
    {
        byte[] framed = [.. message, (byte)RecordSeparator];
        await _socket.SendAsync(framed, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        while (true)
        {
            JsonElement reply = await NextMessageAsync(timeout.Token).ConfigureAwait(false);
            if (reply.GetProperty("type").GetInt32() == CompletionType && reply.GetProperty("invocationId").GetString() == invocationId)
            {
                return reply;
            }
        }
    }

    /// <summary>Sends one text frame as it is: no separator is added.</summary>
    public Task SendTextAsync(string frame) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Reads until the job's terminal push; answers the job's pushes so far.</summary>
    public Task<IReadOnlyList<JsonElement>> WaitForTerminalAsync(string jobId, TimeSpan timeout) =>
        WaitForAsync(jobId, m => MessageTypes.IsTerminal(m.GetProperty("type").GetString()!), timeout);

    /// <summary>Reads until a push of the job matches <paramref name="condition"/>; answers the job's pushes so far.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAsync(string jobId, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!PushesOf(jobId).Any(condition))
        {
            try
            {
                await NextMessageAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Job {jobId}: no matching push within {timeout}; got {PushesOf(jobId).Count} push(es).");
            }
        }

        return PushesOf(jobId);
    }

    /// <summary>Reads until the server ends the connection: the close message's <c>error</c> (null when it sent none), or the socket's close.</summary>
    public async Task<string?> WaitForCloseAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            while (true)
            {
                await NextMessageAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (HubClosedException closed)
        {
            return closed.Error;
        }
    }

    public IReadOnlyList<JsonElement> PushesOf(string jobId) =>
        [.. _pushed.Where(m => m.TryGetProperty("jobId", out JsonElement id) && id.GetString() == jobId)];

    /// <summary>The next message of any type, after recording it when it is a push; throws when the server closes.</summary>
    private async Task<JsonElement> NextMessageAsync(CancellationToken cancellationToken)
    {
        using JsonDocument message = JsonDocument.Parse(await ReceiveAsync(cancellationToken).ConfigureAwait(false));
        JsonElement root = message.RootElement.Clone();
        int type = root.GetProperty("type").GetInt32();
        if (type == CloseType)
        {
            throw new HubClosedException(root.TryGetProperty("error", out JsonElement error) ? error.GetString() : null);
        }

        if (type == InvocationType && root.GetProperty("target").GetString() == MessageTypes.Target)
        {
            _pushed.Add(root.GetProperty("arguments")[0]);
        }

        return root;
    }

    private async Task<string> ReceiveAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            string text = _pending.ToString();
            int end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                return text[..end];
            }

            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException ex)
            {
                // The server dropped the connection without a close handshake.
                throw new HubClosedException(null, ex);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new HubClosedException(null);
            }

            // A character can span two reads: the decoder keeps its first bytes until the rest arrive.
            char[] chars = new char[_utf8.GetCharCount(buffer, 0, result.Count)];
            _pending.Append(chars, 0, _utf8.GetChars(buffer, 0, result.Count, chars, 0));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
        }

        _socket.Dispose();
    }
}
