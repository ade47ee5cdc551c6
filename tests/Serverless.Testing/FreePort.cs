using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Serverless.Testing;

/// <summary>
/// Ports for servers that must be told their port before they start (child processes that point at each other,
/// a host restarted on the port it had). A port is held for the rest of the test process: it lies outside the
/// OS's ephemeral range, so no <c>bind(0)</c> and no outgoing connection is ever given it, and a lock file keeps every
/// other test process away from it — so it stays free between being picked, bound, released by a killed host and
/// bound again. In-process servers need none of this: they bind port 0 and read it back.
/// </summary>
public static class FreePort
{
    private const int LowestPort = 20_000;

    private static readonly string LockFolder = Path.Combine(Path.GetTempPath(), "serverless-test-ports");
    private static readonly List<FileStream> Held = [];
    private static readonly Lock Gate = new();

    /// <summary>A port no one listens on, reserved for this process until it exits.</summary>
    public static int Next()
    {
        (int first, int last) = Candidates();
        Directory.CreateDirectory(LockFolder);
        lock (Gate)
        {
            for (int attempt = 0; attempt < 500; attempt++)
            {
                int port = Random.Shared.Next(first, last + 1);
                FileStream? reservation = TryReserve(port);
                if (reservation is null)
                {
                    continue;
                }

                if (IsBindable(port))
                {
                    Held.Add(reservation);
                    return port;
                }

                reservation.Dispose();
            }
        }

        throw new InvalidOperationException($"No free port between {first} and {last} after 500 attempts.");
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

    // Below the ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range, 32768–60999 by default).
    private static (int First, int Last) Candidates()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        int ephemeralStart = 32_768;
        if (File.Exists(RangeFile) &&
            int.TryParse(File.ReadAllText(RangeFile).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture, out int start))
        {
            ephemeralStart = start;
        }

        return ephemeralStart - 1 > LowestPort + 1_000
            ? (LowestPort, ephemeralStart - 1)
            : throw new InvalidOperationException($"The ephemeral port range starts at {ephemeralStart}: no room below it for test ports.");
    }

    // An exclusive open is an advisory lock (flock) on Unix: released by the OS when this process exits, however it exits.
    private static FileStream? TryReserve(int port)
    {
        try
        {
            return new FileStream(Path.Combine(LockFolder, port.ToString(CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsBindable(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
