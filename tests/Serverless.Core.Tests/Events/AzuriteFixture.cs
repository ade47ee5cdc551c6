using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Serverless.Core.Tests.Events;

/// <summary>
/// One in-memory Azurite (blobs, queues, tables) for the Core tests, stopped on dispose. Azurite binds port 0 for
/// each service and the fixture reads the ports it got from its output, so no port is ever guessed or shared.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    private Process? _process;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        string script = FindAzurite() ?? throw new InvalidOperationException("These tests need Azurite: run 'npm ci' in the repository root (Node 20).");
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { script, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence", "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0", "--tableHost", "127.0.0.1", "--tablePort", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        var ports = new Dictionary<string, int>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            lock (ports)
            {
                output.AppendLine(e.Data);
                if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
                {
                    ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        listening.TrySetResult();
                    }
                }
            }
        };
        _process.ErrorDataReceived += (_, e) => { lock (ports) { output.AppendLine(e.Data); } };
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"Azurite exited: {output}"));
        _process.EnableRaisingEvents = true;
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"Azurite did not report its ports within 60 s: {output}");
        }

        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + $"BlobEndpoint=http://127.0.0.1:{ports["Blob"]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports["Queue"]}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{ports["Table"]}/devstoreaccount1;";
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

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (events)";
}
