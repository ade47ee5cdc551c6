using System.Globalization;
using System.Net;

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
            await WaitAnsweringAsync(baseAddress, process).ConfigureAwait(false);
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

    // Listening is not enough: the host answers an anonymous call with 401 once its pipeline is built.
    private static async Task WaitAnsweringAsync(Uri baseAddress, ChildProcess process)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{process.Name} exited before answering:\n{process.RecentOutput()}");
                }

                try
                {
                    using HttpResponseMessage response = await http.GetAsync(new Uri("/api/jobs", UriKind.Relative), deadline.Token).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // One poll outlived the client's timeout while the host was still starting (a busy machine): poll again.
                }

                await Task.Delay(100, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{process.Name} did not answer at {baseAddress} within 60 s:\n{process.RecentOutput()}");
        }
    }
}
