using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.LocalHost.Storage;

/// <summary>
/// An Azurite (storage emulator) process started from node_modules, stopped on dispose. Its ports are the ones
/// Azurite reports listening on: a port of 0 lets Azurite bind any free one itself, so no port is picked by one
/// process and bound later by another.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private AzuriteProcess(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        ConnectionString = StorageEndpoints.AzuriteConnectionString(blobPort, queuePort, tablePort);
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>A connection string for this instance.</summary>
    public string ConnectionString { get; }

    /// <summary>The port the blob service listens on.</summary>
    public int BlobPort { get; }

    /// <summary>The port the queue service listens on.</summary>
    public int QueuePort { get; }

    /// <summary>The port the table service listens on.</summary>
    public int TablePort { get; }

    /// <summary>
    /// Starts Azurite on the given ports (0 = a free one, bound by Azurite) and waits until every service reports
    /// the port it listens on.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(
        string packagePath, int blobPort = 0, int queuePort = 0, int tablePort = 0, string? location = null, CancellationToken cancellationToken = default)
    {
        string script = Path.Combine(packagePath, "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"Azurite is not installed at {packagePath}; run 'npm ci' in the repository root.", script);
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            script, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", Port(blobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Port(queuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(tablePort),
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        var ports = new Dictionary<string, int>();
        var output = new StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            lock (ports)
            {
                output.AppendLine(e.Data);
                if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
                {
                    ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        listening.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (ports)
            {
                output.AppendLine(e.Data);
            }
        };
        process.Exited += (_, _) =>
        {
            lock (ports)
            {
                listening.TrySetException(new InvalidOperationException($"Azurite exited before it listened: {output}"));
            }
        };

        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start node.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Stop(process);
            if (ex is TimeoutException)
            {
                lock (ports)
                {
                    throw new InvalidOperationException($"Azurite did not report its ports within {StartTimeout.TotalSeconds} s: {output}", ex);
                }
            }

            throw;
        }

        return new AzuriteProcess(process, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    /// <summary>Finds <c>node_modules/azurite</c> in or above the given folders.</summary>
    public static string? FindPackage(params string[] startFolders)
    {
        ArgumentNullException.ThrowIfNull(startFolders);
        foreach (string start in startFolders)
        {
            for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, "node_modules", "azurite");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Whether something accepts TCP connections at the endpoint's host and port.</summary>
    public static async Task<bool> IsListeningAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var client = new TcpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Kills the Azurite process (and its children) and waits for it to exit; data kept only in memory is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
