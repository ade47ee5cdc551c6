using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Serverless.LocalHost.Tests.Infrastructure;

/// <summary>
/// The SignalR JSON hub protocol over a bare WebSocket, so a test can send bytes a SignalR client would never
/// write (invalid UTF-8, unpaired surrogate escapes) and read the answers.
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();
    private int _nextId;

    public WebSocketState State => _socket.State;

    public static async Task<RawHubClient> ConnectAsync(Uri baseAddress, string path, string token)
    {
        var client = new RawHubClient();
        var url = new UriBuilder(baseAddress) { Scheme = "ws", Path = path, Query = "access_token=" + Uri.EscapeDataString(token) }.Uri;
        await client._socket.ConnectAsync(url, CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator));
        using JsonDocument handshake = JsonDocument.Parse(await client.ReceiveAsync());
        if (handshake.RootElement.TryGetProperty("error", out JsonElement error))
        {
            throw new InvalidOperationException("Handshake refused: " + error.GetString());
        }

        return client;
    }

    /// <summary>Invokes <paramref name="target"/> with arguments written as raw JSON text; answers the completion message.</summary>
    public Task<JsonElement> InvokeAsync(string target, string argumentsJson) =>
        InvokeRawAsync(Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{++_nextId}\",\"target\":\"{target}\",\"arguments\":[{argumentsJson}]}}"), _nextId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Sends <paramref name="message"/> bytes (without the separator) and waits for the completion of <paramref name="invocationId"/>.</summary>
    public async Task<JsonElement> InvokeRawAsync(byte[] message, string invocationId)
    {
        await SendAsync([.. message, (byte)RecordSeparator]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using JsonDocument reply = JsonDocument.Parse(await ReceiveAsync(timeout.Token));
            int type = reply.RootElement.GetProperty("type").GetInt32();
            if (type == 7)
            {
                throw new WebSocketException("The server closed the connection: " + reply.RootElement.GetRawText());
            }

            if (type == 3 && reply.RootElement.GetProperty("invocationId").GetString() == invocationId)
            {
                return reply.RootElement.Clone();
            }
        }
    }

    private Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task<string> ReceiveAsync(CancellationToken cancellationToken = default)
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

            WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("The server closed the connection.");
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        _socket.Dispose();
    }
}
