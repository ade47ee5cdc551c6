using System.Globalization;

namespace Serverless.Testing;

/// <summary>
/// The local host as its own OS process, started from the caller's build output: a test can kill it (SIGKILL) and
/// start it again on the same port, and a load run measures it apart from its clients.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private LocalHostProcess(ChildProcess process, Uri baseAddress)
    {
        Process = process;
        BaseAddress = baseAddress;
    }

    public ChildProcess Process { get; }

    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts the host with <paramref name="settings"/> as its command line, on <paramref name="port"/> when given (a
    /// restarted host keeps its address, so clients reconnect to it) or else a <see cref="FreePort"/>; returns once it answers HTTP.
    /// </summary>
    public static async Task<LocalHostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port ?? FreePort.Next()}"));
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "Serverless.LocalHost.dll"),
            $"--Urls={baseAddress.GetLeftPart(UriPartial.Authority)}",
            .. settings.Select(setting => $"--{setting.Key}={setting.Value}"),
        ];
        ChildProcess process = ChildProcess.Start("Local host", "dotnet", arguments, workingDirectory: AppContext.BaseDirectory);
        try
        {
            await AppReadiness.WaitAnsweringAsync(baseAddress, process, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new LocalHostProcess(process, baseAddress);
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public Task KillAsync() => Process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        await Process.DisposeAsync().ConfigureAwait(false);
    }
}
