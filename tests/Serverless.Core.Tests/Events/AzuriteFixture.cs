using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Serverless.Core.Tests.Events;

/// <summary>One in-memory Azurite (tables and blobs) on a free port for the event tests; stopped on dispose.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Process? _process;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        string script = FindAzurite() ?? throw new InvalidOperationException("These tests need Azurite: run 'npm ci' in the repository root (Node 20).");
        int port = FreePort();
        int blobPort = FreePort();
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { script, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence", "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(CultureInfo.InvariantCulture), "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        for (int i = 0; i < 300; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("Azurite did not start.");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindAzurite()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (events)";
}
