namespace Serverless.Cli.Commands;

/// <summary>The blob, queue and table endpoints a storage connection string names (Azurite's defaults for development storage).</summary>
internal static class StorageConnection
{
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>The <c>--storage</c> option: the storage connection string the host uses.</summary>
    public static System.CommandLine.Option<string> CreateOption() => new("--storage")
    {
        Description = "The storage connection string the host uses (env SERVERLESS_STORAGE; default UseDevelopmentStorage=true, Azurite on 10000-10002).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SERVERLESS_STORAGE") is { Length: > 0 } value ? value : DevelopmentStorage,
    };

    /// <summary>The endpoints by service name, or null with a reason when the string names none.</summary>
    public static IReadOnlyList<(string Service, Uri Endpoint)>? Endpoints(string connectionString, out string? problem)
    {
        problem = null;
        if (connectionString.Trim().TrimEnd(';').Equals(DevelopmentStorage, StringComparison.OrdinalIgnoreCase))
        {
            return [("blob", new Uri("http://127.0.0.1:10000")), ("queue", new Uri("http://127.0.0.1:10001")), ("table", new Uri("http://127.0.0.1:10002"))];
        }

        Dictionary<string, string> parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.Last()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var endpoints = new List<(string, Uri)>();
        foreach (string service in new[] { "blob", "queue", "table" })
        {
            if (parts.TryGetValue(service + "Endpoint", out string? value) && Uri.TryCreate(value, UriKind.Absolute, out Uri? endpoint))
            {
                endpoints.Add((service, endpoint));
            }
            else if (parts.TryGetValue("AccountName", out string? account) && account.Length > 0)
            {
                string suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
                endpoints.Add((service, new Uri($"https://{account}.{service}.{suffix}")));
            }
            else
            {
                problem = $"The storage connection string names no {service} endpoint (BlobEndpoint=... or AccountName=...).";
                return null;
            }
        }

        return endpoints;
    }
}
