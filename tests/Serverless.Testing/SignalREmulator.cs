namespace Serverless.Testing;

/// <summary>
/// The Azure SignalR Service emulator (serverless mode) from <c>../shared/signalr-emulator</c>, on a free port, with its
/// upstream pointed at the app. Clients reach it through the app's negotiate; the app pushes through its REST API.
/// </summary>
public sealed class SignalREmulator : IAsyncDisposable
{
    /// <summary>The emulator's access key: fixed in its source, public, not a secret.</summary>
    public const string AccessKey = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

    private ChildProcess _process;
    private readonly string _upstreamTemplate;

    private SignalREmulator(ChildProcess process, int port, string upstreamTemplate)
    {
        _process = process;
        Port = port;
        _upstreamTemplate = upstreamTemplate;
    }

    public int Port { get; }

    /// <summary>The connection string the app is given (<c>SignalR:ConnectionString</c>).</summary>
    public string ConnectionString => $"Endpoint=http://localhost;Port={Port};AccessKey={AccessKey};Version=1.0;";

    public ChildProcess Process => _process;

    /// <summary>Starts the emulator; <paramref name="upstreamTemplate"/> has <c>{hub}</c>, <c>{category}</c> and <c>{event}</c> placeholders.</summary>
    public static async Task<SignalREmulator> StartAsync(string upstreamTemplate, int port = 0)
    {
        port = port == 0 ? FreePort.Next() : port;
        ChildProcess process = Launch(upstreamTemplate, port);
        await FreePort.WaitListeningAsync(port, process, TimeSpan.FromMinutes(3)).ConfigureAwait(false);
        return new SignalREmulator(process, port, upstreamTemplate);
    }

    /// <summary>Stops the service (clients lose their connections; pushes fail) until <see cref="RestartAsync"/>.</summary>
    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(10));

    /// <summary>Starts it again on the same port with the same upstream.</summary>
    public async Task RestartAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        _process = Launch(_upstreamTemplate, Port);
        await FreePort.WaitListeningAsync(Port, _process, TimeSpan.FromMinutes(1)).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static ChildProcess Launch(string upstreamTemplate, int port)
    {
        string script = Path.Combine(RepositoryLayout.Shared, "signalr-emulator", "run.sh");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"The Azure SignalR Service emulator is missing: expected {script} (the shared tools folder beside the repository).");
        }

        return ChildProcess.Start("SignalR Service emulator", "bash", [script, upstreamTemplate, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }
}
