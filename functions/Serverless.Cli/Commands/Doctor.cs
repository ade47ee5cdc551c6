using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Serverless.Client;
using Serverless.Protocol;

namespace Serverless.Cli.Commands;

/// <summary>The preflight checks behind <c>doctor</c>; each answers green / yellow / red with a fix hint.</summary>
internal sealed class Doctor(CliContext context, string storageConnectionString)
{
    private const string StartHost = "Start the local host: dotnet run --project functions/Serverless.LocalHost (or scripts/run-local.sh), or point --url at a running one.";
    private const string StartAzurite = "Start Azurite (npx azurite --silent --location .azurite), or let the local host start it (Azurite:AutoStart=true).";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public async Task<DoctorReport> RunAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        IReadOnlyList<(string Service, Uri Endpoint)>? storage = StorageConnection.Endpoints(storageConnectionString, out string? storageProblem);
        checks.Add(storage is null
            ? DoctorCheck.Fail("settings", storageProblem!, "Pass --storage with a full connection string, or UseDevelopmentStorage=true for Azurite.")
            : DoctorCheck.Pass("settings", $"url {context.BaseUrl}; storage {string.Join(", ", storage.Select(s => $"{s.Service} {s.Endpoint.Authority}"))}; "
                + (context.HasExplicitToken ? "token given" : $"development token for user '{context.User}'")));

        using var http = new HttpClient { BaseAddress = HostBase(), Timeout = ProbeTimeout };
        bool hostUp = await CheckHostAsync(http, checks, cancellationToken).ConfigureAwait(false);
        if (!hostUp)
        {
            checks.Add(CheckPortFree("host port", context.BaseUrl));
        }

        foreach ((string service, Uri endpoint) in storage ?? [])
        {
            if (await IsListeningAsync(endpoint, cancellationToken).ConfigureAwait(false))
            {
                checks.Add(DoctorCheck.Pass($"storage {service}", $"{endpoint.Authority} answers"));
            }
            else
            {
                checks.Add(DoctorCheck.Fail($"storage {service}", $"nothing answers at {endpoint.Authority}", StartAzurite));
                if (endpoint.IsLoopback)
                {
                    checks.Add(CheckPortFree($"{service} port", endpoint));
                }
            }
        }

        if (hostUp)
        {
            checks.AddRange(await CheckHealthAsync(http, cancellationToken).ConfigureAwait(false));
            checks.AddRange(await CheckConnectionAsync(cancellationToken).ConfigureAwait(false));
        }

        return new DoctorReport(checks.All(c => c.Status != DoctorCheck.Red), checks);
    }

    private Uri HostBase() => new(context.BaseUrl.AbsoluteUri.TrimEnd('/') + "/");

    private async Task<bool> CheckHostAsync(HttpClient http, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        if (!await IsListeningAsync(context.BaseUrl, cancellationToken).ConfigureAwait(false))
        {
            checks.Add(DoctorCheck.Fail("host", $"nothing listens at {context.BaseUrl.Authority}", StartHost));
            return false;
        }

        // Without a token the jobs API must refuse with the protocol's typed UNAUTHORIZED: that tells this host from any other program.
        try
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("api/jobs", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            JobError error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && error.Code == ErrorCodes.Unauthorized)
            {
                checks.Add(DoctorCheck.Pass("host", $"the Serverless host answers at {context.BaseUrl}"));
                return true;
            }

            checks.Add(DoctorCheck.Fail("host", $"{context.BaseUrl.Authority} answers HTTP {(int)response.StatusCode} but is not the Serverless host",
                "Stop the program using that port, or point --url at the Serverless host."));
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            checks.Add(DoctorCheck.Fail("host", $"{context.BaseUrl.Authority} accepts connections but does not answer HTTP: {ex.Message}",
                "Stop the program using that port, or point --url at the Serverless host."));
        }

        return false;
    }

    private static async Task<IReadOnlyList<DoctorCheck>> CheckHealthAsync(HttpClient http, CancellationToken cancellationToken)
    {
        const string Durable = "durable backend";
        try
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("api/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return [DoctorCheck.Warn(Durable, "the host exposes no /api/health yet, so the Durable backend cannot be checked from outside",
                    "Submit a short async job (serverless submit generate_report --payload '{\"months\":1}' --watch) to see it work.")];
            }

            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<DoctorCheck> dependencies = HealthDependencies(body);
            if (dependencies.Count > 0)
            {
                return dependencies;
            }

            string status = response.IsSuccessStatusCode ? DoctorCheck.Green : DoctorCheck.Red;
            return [ToCheck(Durable, status, $"/api/health answered {(int)response.StatusCode}: {Shorten(body)}")];
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return [DoctorCheck.Fail(Durable, $"/api/health did not answer: {ex.Message}", "Check the host's log.")];
        }
    }

    /// <summary>One check per dependency of a health report (<c>{status, dependencies: [{name, status, detail}]}</c>).</summary>
    private static IReadOnlyList<DoctorCheck> HealthDependencies(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("dependencies", out JsonElement dependencies)
                || dependencies.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return [.. dependencies.EnumerateArray().Select(dependency =>
            {
                string name = Text(dependency, "name") ?? "dependency";
                return ToCheck(name == "durable" ? "durable backend" : $"health {name}", Text(dependency, "status") ?? DoctorCheck.Red, Text(dependency, "detail") ?? string.Empty);
            })];
        }
        catch (JsonException)
        {
            return [];
        }

        static string? Text(JsonElement element, string property) =>
            element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static DoctorCheck ToCheck(string name, string status, string detail) => status.ToLowerInvariant() switch
    {
        DoctorCheck.Green => DoctorCheck.Pass(name, detail),
        DoctorCheck.Yellow => DoctorCheck.Warn(name, detail, "Degraded but jobs are safe; see the host's log and /api/health."),
        _ => DoctorCheck.Fail(name, detail, "Check the host's log and that storage (Azurite) is running; /api/health has the details."),
    };

    private async Task<IReadOnlyList<DoctorCheck>> CheckConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            _ = await context.GetTokenAsync(role: null, cancellationToken).ConfigureAwait(false);
        }
        catch (JobClientException ex)
        {
            return [DoctorCheck.Fail("auth", ex.Error.Message, "Pass --token (or SERVERLESS_TOKEN), or enable Auth:EnableDevelopmentTokens on a development host.")];
        }

        var auth = DoctorCheck.Pass("auth", context.HasExplicitToken ? "token given" : $"development token issued for '{context.User}'");
        try
        {
            await using JobClient client = context.CreateClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout * 3);
            await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
            return [auth, DoctorCheck.Pass("signalr", "the job hub accepted a connection")];
        }
        catch (Exception ex) when (ex is JobClientException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return [auth, DoctorCheck.Fail("signalr", $"the job hub refused the connection: {ex.Message}", "Check the token and that WebSockets reach the host.")];
        }
    }

    private static DoctorCheck CheckPortFree(string name, Uri endpoint)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, endpoint.Port);
            listener.Start();
            return DoctorCheck.Pass(name, $"port {endpoint.Port} is free for the service to listen on");
        }
        catch (SocketException ex)
        {
            return DoctorCheck.Fail(name, $"port {endpoint.Port} is taken but nothing answers there: {ex.Message}", $"Free port {endpoint.Port} or configure another one.");
        }
    }

    private static async Task<bool> IsListeningAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(ProbeTimeout);
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private static async Task<JobError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(body, ProtocolJson.Default.JobMessage)?.Error ?? new JobError(string.Empty, body);
        }
        catch (JsonException)
        {
            return new JobError(string.Empty, "not protocol JSON");
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
