using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Serverless.LocalHost.Storage;

namespace Serverless.LoadTest;

/// <summary>
/// A counting HTTP proxy in front of Azurite's blob, queue and table endpoints. Bytes pass through unchanged
/// (shared-key signatures stay valid); each request line is read as it goes by and counted by service, the
/// resource it names (table, queue or container) and the operation. Machine-independent: what is counted is
/// what a storage account bills, whatever the speed of the machine.
/// </summary>
internal sealed partial class StorageRequestCounter : IAsyncDisposable
{
    private readonly ConcurrentDictionary<StorageRequestKind, long> _counts = new();
    private readonly List<Forwarder> _forwarders;
    private readonly string _connectionString;

    private StorageRequestCounter(StorageEndpoints azurite)
    {
        var blob = new Forwarder("blob", azurite.Blob.Port, this);
        var queue = new Forwarder("queue", azurite.Queue.Port, this);
        var table = new Forwarder("table", azurite.Table.Port, this);
        _forwarders = [blob, queue, table];
        _connectionString = StorageEndpoints.AzuriteConnectionString(blob.Port, queue.Port, table.Port);
    }

    /// <summary>The connection string that routes every request through the counter.</summary>
    public string ConnectionString => _connectionString;

    /// <summary>Starts a counter in front of the Azurite that <paramref name="azuriteConnectionString"/> names.</summary>
    public static StorageRequestCounter Start(string azuriteConnectionString) => new(StorageEndpoints.Parse(azuriteConnectionString));

    /// <summary>The counts so far; subtract two snapshots to get what happened in between.</summary>
    public StorageRequests Snapshot() => new(new Dictionary<StorageRequestKind, long>(_counts));

    public async ValueTask DisposeAsync()
    {
        foreach (Forwarder forwarder in _forwarders)
        {
            await forwarder.DisposeAsync();
        }
    }

    private void Count(StorageRequestKind kind) => _counts.AddOrUpdate(kind, 1, static (_, n) => n + 1);

    /// <summary>Names a request from its method, path and query, the way the storage REST API documents its operations.</summary>
    internal static StorageRequestKind Classify(string service, string method, string target, string? leaseAction)
    {
        int queryAt = target.IndexOf('?', StringComparison.Ordinal);
        string path = Uri.UnescapeDataString(queryAt < 0 ? target : target[..queryAt]);
        string query = queryAt < 0 ? string.Empty : target[(queryAt + 1)..];
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);

        // segments[0] is the account (IP-style URLs), segments[1] the table, queue or container.
        string resource = segments.Length > 1 ? segments[1] : string.Empty;
        string operation;
        switch (service)
        {
            case "table":
                int parenAt = resource.IndexOf('(', StringComparison.Ordinal);
                bool entity = parenAt >= 0 && resource.Length - parenAt > 2;
                resource = parenAt >= 0 ? resource[..parenAt] : resource;
                operation = (method, resource) switch
                {
                    ("POST", "$batch") => "entity group transaction",
                    (_, "Tables") => method == "POST" ? "create table" : "query tables",
                    ("GET", _) => entity ? "get entity" : "query entities",
                    ("POST", _) => "insert entity",
                    ("PUT", _) => "update/upsert entity (replace)",
                    ("MERGE" or "PATCH", _) => "update/upsert entity (merge)",
                    ("DELETE", _) => entity ? "delete entity" : "delete table",
                    _ => method,
                };
                break;
            case "queue":
                bool messages = segments.Length > 2 && segments[2] == "messages";
                operation = (method, messages) switch
                {
                    ("GET", true) => query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) ? "peek messages" : "get messages",
                    ("POST", true) => "put message",
                    ("DELETE", true) => "delete message",
                    ("PUT", true) => "update message",
                    ("GET" or "HEAD", false) => query.Contains("comp=list", StringComparison.Ordinal) ? "list queues" : "get queue metadata",
                    ("PUT", false) => "create queue",
                    _ => method + " queue",
                };
                break;
            default:
                operation = query.Contains("comp=lease", StringComparison.Ordinal)
                    ? "lease " + (leaseAction ?? "?").ToLowerInvariant()
                    : query.Contains("comp=list", StringComparison.Ordinal) ? "list blobs"
                    : query.Contains("restype=container", StringComparison.Ordinal) ? method + " container"
                    : method switch { "GET" => "get blob", "PUT" => "put blob", "HEAD" => "get blob properties", "DELETE" => "delete blob", _ => method + " blob" };
                break;
        }

        return new StorageRequestKind(service, resource.ToLowerInvariant(), operation);
    }

    [GeneratedRegex(@"(?:POST|PUT|PATCH|MERGE|DELETE) https?://[^/\s]+/[^/\s]+/([A-Za-z0-9]+)")]
    private static partial Regex BatchTable();

    /// <summary>Accepts connections on a port of its own and forwards each to Azurite, reading request heads on the way.</summary>
    private sealed class Forwarder : IAsyncDisposable
    {
        private readonly string _service;
        private readonly int _target;
        private readonly StorageRequestCounter _counter;
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stopped = new();

        public Forwarder(string service, int target, StorageRequestCounter counter)
        {
            _service = service;
            _target = target;
            _counter = counter;
            _listener.Start(512);
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptAsync();
        }

        public int Port { get; }

        public ValueTask DisposeAsync()
        {
            _stopped.Cancel();
            _listener.Stop();
            return ValueTask.CompletedTask;
        }

        private async Task AcceptAsync()
        {
            while (!_stopped.IsCancellationRequested)
            {
                TcpClient inbound;
                try
                {
                    inbound = await _listener.AcceptTcpClientAsync(_stopped.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = ForwardAsync(inbound);
            }
        }

        private async Task ForwardAsync(TcpClient inbound)
        {
            using (inbound)
            using (var outbound = new TcpClient())
            {
                inbound.NoDelay = true;
                outbound.NoDelay = true;
                try
                {
                    await outbound.ConnectAsync(IPAddress.Loopback, _target, _stopped.Token);
                    NetworkStream client = inbound.GetStream(), server = outbound.GetStream();
                    Task answers = server.CopyToAsync(client, _stopped.Token);
                    Task requests = RequestsAsync(client, server);
                    await Task.WhenAny(answers, requests);
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // A closed connection on either side ends the forwarding; the other side sees it closed.
                }
            }
        }

        /// <summary>Reads request after request (head, then the body its length names) and forwards each unchanged.</summary>
        private async Task RequestsAsync(NetworkStream client, NetworkStream server)
        {
            var reader = new BufferedRequestReader(client);
            while (await reader.ReadHeadAsync(_stopped.Token) is { } head)
            {
                string text = Encoding.ASCII.GetString(head);
                string[] lines = text.Split("\r\n");
                string[] requestLine = lines[0].Split(' ');
                long length = 0;
                bool chunked = false;
                string? leaseAction = null;
                foreach (string line in lines.Skip(1))
                {
                    int colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        continue;
                    }

                    string name = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                    if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    {
                        length = long.Parse(value, CultureInfo.InvariantCulture);
                    }
                    else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                    {
                        chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                    }
                    else if (name.Equals("x-ms-lease-action", StringComparison.OrdinalIgnoreCase))
                    {
                        leaseAction = value;
                    }
                }

                string target = requestLine.Length > 1 ? requestLine[1] : "/";
                await server.WriteAsync(head, _stopped.Token);
                if (!chunked && _service == "table" && target.Contains("$batch", StringComparison.Ordinal))
                {
                    // An entity group transaction names its table only inside its multipart body.
                    using var body = new MemoryStream();
                    await reader.CopyAsync(body, length, _stopped.Token);
                    Match inner = BatchTable().Match(Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length));
                    _counter.Count(new StorageRequestKind("table", inner.Success ? inner.Groups[1].Value.ToLowerInvariant() : "$batch", "entity group transaction"));
                    await server.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length), _stopped.Token);
                    continue;
                }

                _counter.Count(Classify(_service, requestLine[0], target, leaseAction));
                if (chunked)
                {
                    await reader.CopyChunkedAsync(server, _stopped.Token);
                }
                else
                {
                    await reader.CopyAsync(server, length, _stopped.Token);
                }
            }
        }
    }

    /// <summary>A buffered reader over a request stream: heads up to the blank line, bodies by length or by chunks.</summary>
    private sealed class BufferedRequestReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                int at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
                if (at >= 0)
                {
                    byte[] head = _buffer[_start..(_start + at + 4)];
                    _start += at + 4;
                    return head;
                }

                if (!await FillAsync(cancellationToken))
                {
                    return null;
                }
            }
        }

        public async Task CopyAsync(Stream destination, long length, CancellationToken cancellationToken)
        {
            while (length > 0)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    throw new IOException("The request body ended early.");
                }

                int take = (int)Math.Min(length, _end - _start);
                await destination.WriteAsync(_buffer.AsMemory(_start, take), cancellationToken);
                _start += take;
                length -= take;
            }
        }

        public async Task CopyChunkedAsync(Stream destination, CancellationToken cancellationToken)
        {
            while (true)
            {
                byte[] sizeLine = await ReadLineAsync(cancellationToken);
                await destination.WriteAsync(sizeLine, cancellationToken);
                string size = Encoding.ASCII.GetString(sizeLine).Trim().Split(';')[0];
                long length = long.Parse(size, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (length == 0)
                {
                    // Trailers (none from the storage clients), then the blank line.
                    while ((await ReadLineAsync(cancellationToken) is var line) && line.Length > 2)
                    {
                        await destination.WriteAsync(line, cancellationToken);
                    }

                    await destination.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
                    return;
                }

                await CopyAsync(destination, length + 2, cancellationToken);
            }
        }

        private async Task<byte[]> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                int at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
                if (at >= 0)
                {
                    byte[] line = _buffer[_start..(_start + at + 2)];
                    _start += at + 2;
                    return line;
                }

                if (!await FillAsync(cancellationToken))
                {
                    throw new IOException("The request body ended early.");
                }
            }
        }

        /// <summary>Reads more bytes after what is buffered, compacting first; false at the end of the stream.</summary>
        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("A request head is larger than the proxy's buffer.");
            }

            int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _end += read;
            return read > 0;
        }
    }
}

/// <summary>One kind of storage request: the service, the table/queue/container it names, and the operation.</summary>
internal sealed record StorageRequestKind(string Service, string Resource, string Operation)
{
    // Where the Functions host keeps its primary-host lock and timer schedule status (AzureWebJobsStorage).
    private const string FunctionsHostContainer = "azure-webjobs-hosts";

    /// <summary>Whether the request goes to the Durable task hub <paramref name="taskHub"/> (lower case): its queues, tables and lease blobs.</summary>
    public bool IsDurableOf(string taskHub) =>
        Resource.StartsWith(taskHub + "-", StringComparison.Ordinal)
        || Resource == taskHub + "history" || Resource == taskHub + "instances" || Resource == taskHub + "partitions";

    /// <summary>
    /// Background work rather than work for a job, paced by timers whatever the number of jobs: the Durable
    /// backend's queue reads (empty or not: a job's messages are dequeued by the same polls), its partition and app
    /// leases, the app's route-statistics sync (one read and at most one write per 10 s per host), and on the Azure path
    /// the Functions host's own blobs (its primary-host lock lease and the timer triggers' schedule status).
    /// </summary>
    public bool IsPolling =>
        (Service == "queue" && Operation is "get messages" or "peek messages" or "get queue metadata")
        || (Service == "blob" && (Resource.EndsWith("-leases", StringComparison.Ordinal) || Resource.EndsWith("-applease", StringComparison.Ordinal)
            || Resource == FunctionsHostContainer))
        || (Service == "table" && (Resource.EndsWith("partitions", StringComparison.Ordinal) || Resource == "routestats"));
}

/// <summary>Counts of storage requests by kind, at one moment or between two.</summary>
internal sealed record StorageRequests(IReadOnlyDictionary<StorageRequestKind, long> Counts)
{
    public static StorageRequests operator -(StorageRequests later, StorageRequests earlier) =>
        new(later.Counts.ToDictionary(c => c.Key, c => c.Value - earlier.Counts.GetValueOrDefault(c.Key)));

    public static StorageRequests operator +(StorageRequests a, StorageRequests b) =>
        new(a.Counts.Keys.Union(b.Counts.Keys).ToDictionary(k => k, k => a.Counts.GetValueOrDefault(k) + b.Counts.GetValueOrDefault(k)));

    public static StorageRequests Empty { get; } = new(new Dictionary<StorageRequestKind, long>());

    /// <summary>Only the requests <paramref name="keep"/> accepts.</summary>
    public StorageRequests Where(Func<StorageRequestKind, bool> keep) =>
        new(Counts.Where(c => keep(c.Key)).ToDictionary(c => c.Key, c => c.Value));

    public long Total => Counts.Values.Sum();

    /// <summary>The non-zero counts, most frequent first, as "service resource: operation ×n" lines.</summary>
    public IEnumerable<string> Describe(double divideBy = 1) =>
        Counts.Where(c => c.Value != 0)
            .OrderByDescending(c => c.Value)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key.Service} {c.Key.Resource}: {c.Key.Operation} ×{c.Value / divideBy:0.##}"));
}
