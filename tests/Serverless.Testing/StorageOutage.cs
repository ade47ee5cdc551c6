using System.Text.RegularExpressions;

namespace Serverless.Testing;

/// <summary>
/// An <see cref="OutageProxy"/> in front of each endpoint (blob, queue, table) of a storage connection string: give a
/// host <see cref="ConnectionString"/> and cut, hang or restore its storage as one, while the test reads storage directly.
/// </summary>
public sealed partial class StorageOutage : IAsyncDisposable
{
    private readonly OutageProxy[] _proxies;

    public StorageOutage(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        _proxies = [.. new[] { "Blob", "Queue", "Table" }.Select(service => new OutageProxy(PortOf(connectionString, service)))];
        ConnectionString = Endpoint().Replace(connectionString, match =>
        {
            int index = Array.IndexOf(["Blob", "Queue", "Table"], match.Groups["service"].Value);
            return $"{match.Groups["service"].Value}Endpoint=http://127.0.0.1:{_proxies[index].Port}/";
        });
    }

    /// <summary>The connection string with every endpoint through its proxy.</summary>
    public string ConnectionString { get; }

    public void Cut() => Array.ForEach(_proxies, proxy => proxy.Cut());

    public void Hang() => Array.ForEach(_proxies, proxy => proxy.Hang());

    public void Restore() => Array.ForEach(_proxies, proxy => proxy.Restore());

    public async ValueTask DisposeAsync()
    {
        foreach (OutageProxy proxy in _proxies)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int PortOf(string connectionString, string service) =>
        Endpoint().Matches(connectionString).FirstOrDefault(m => m.Groups["service"].Value == service) is { } match
            ? int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new ArgumentException($"The connection string names no {service}Endpoint with a port.", nameof(connectionString));

    [GeneratedRegex(@"(?<service>Blob|Queue|Table)Endpoint=https?://[^:/;]+:(?<port>\d+)/")]
    private static partial Regex Endpoint();
}
