using System.Net;
using System.Net.Sockets;

namespace Serverless.Testing;

/// <summary>Ports for processes the tests start. A child process binds its own port, so the port is free when picked, not reserved.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on the port, or the process it waits for has exited.</summary>
    public static async Task WaitListeningAsync(int port, ChildProcess owner, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(owner);
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{owner.Name} did not listen on port {port} within {timeout.TotalSeconds:0} s:\n{owner.RecentOutput()}");
            }

            if (owner.HasExited)
            {
                throw new InvalidOperationException($"{owner.Name} exited before listening on port {port}:\n{owner.RecentOutput()}");
            }

            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
