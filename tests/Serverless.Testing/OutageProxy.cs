using System.Net;
using System.Net.Sockets;

namespace Serverless.Testing;

/// <summary>
/// A TCP forwarder in front of one port, to simulate a network outage of a dependency without losing its data.
/// It binds a port from the OS once and keeps it for its whole life (no re-binding race): a cut drops every
/// connection at once, a hang accepts connections and never answers (what a network timeout is for), a reset cuts
/// the connections open now and forwards the next ones (a dropped network path that comes back).
/// </summary>
public sealed class OutageProxy : IAsyncDisposable
{
    private const int Forwarding = 0;
    private const int Dropping = 1;
    private const int Hanging = 2;

    private readonly int _target;
    private readonly List<TcpClient> _open = [];
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _disposed = new();
    private int _mode;

    public OutageProxy(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Drops open connections and every new one as soon as it is made.</summary>
    public void Cut() => Switch(Dropping);

    /// <summary>Drops open connections; new ones are accepted and then left without a byte of answer.</summary>
    public void Hang() => Switch(Hanging);

    /// <summary>Forwards again; connections held by a hang are dropped so their callers fail over at once.</summary>
    public void Restore() => Switch(Forwarding);

    /// <summary>Resets every open connection (RST, as a dead network path does, not a polite close) and keeps the mode: when forwarding, new ones go through.</summary>
    public void Reset() => CloseOpen(reset: true);

    public ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        _listener.Stop();
        Switch(Dropping);
        _disposed.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Switch(int mode)
    {
        Volatile.Write(ref _mode, mode);
        CloseOpen(reset: false);
    }

    private void CloseOpen(bool reset)
    {
        lock (_open)
        {
            foreach (TcpClient client in _open)
            {
                // Linger 0 makes the close a reset.
                if (reset && client.Client is { Connected: true } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_disposed.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_disposed.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            switch (Volatile.Read(ref _mode))
            {
                case Dropping:
                    inbound.Client.LingerState = new LingerOption(true, 0);
                    inbound.Dispose();
                    break;
                case Hanging:
                    lock (_open)
                    {
                        _open.Add(inbound);
                    }

                    break;
                default:
                    _ = ForwardAsync(inbound);
                    break;
            }
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        lock (_open)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _target, _disposed.Token);
            NetworkStream a = inbound.GetStream(), b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _disposed.Token), b.CopyToAsync(a, _disposed.Token));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
