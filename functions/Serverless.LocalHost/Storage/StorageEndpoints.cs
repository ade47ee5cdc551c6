namespace Serverless.LocalHost.Storage;

/// <summary>The blob, queue and table endpoints named by a storage connection string.</summary>
internal sealed record StorageEndpoints(Uri Blob, Uri Queue, Uri Table)
{
    private const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public static StorageEndpoints Parse(string connectionString)
    {
        if (connectionString.Trim().TrimEnd(';').Equals(DevelopmentStorage, StringComparison.OrdinalIgnoreCase))
        {
            return new StorageEndpoints(
                new Uri("http://127.0.0.1:10000/devstoreaccount1"),
                new Uri("http://127.0.0.1:10001/devstoreaccount1"),
                new Uri("http://127.0.0.1:10002/devstoreaccount1"));
        }

        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        Uri Endpoint(string name) => parts.TryGetValue(name, out string? value)
            ? new Uri(value)
            : throw new InvalidOperationException($"The storage connection string has no {name}.");
        return new StorageEndpoints(Endpoint("BlobEndpoint"), Endpoint("QueueEndpoint"), Endpoint("TableEndpoint"));
    }

    /// <summary>Builds the connection string for an Azurite started on the given ports.</summary>
    public static string AzuriteConnectionString(int blobPort, int queuePort, int tablePort) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    public bool IsLoopback => Table.IsLoopback && Blob.IsLoopback && Queue.IsLoopback;
}
