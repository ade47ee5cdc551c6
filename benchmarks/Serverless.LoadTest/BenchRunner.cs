using System.Diagnostics;

namespace Serverless.LoadTest;

/// <summary>Runs the selected scenarios (default: all) and prints the table.</summary>
internal static class BenchRunner
{
    private static readonly string[] AllScenarios = ["storage", "progress", "sync", "async", "connections"];

    // The soak runs for many minutes (15 by default), so it runs only when named.
    private const string Soak = "soak";

    // Flags followed by a value, which is not a scenario name.
    private static readonly string[] ValueFlags = ["--host", "--minutes", "--restart-minutes", AppSettingFlag];

    // The progress and connections scenarios measure the local host's own hub and process; on the Azure path the
    // hub is the SignalR Service (an emulator here), so the end-to-end sync and async scenarios apply, and the
    // storage requests, counted in front of the Functions app's storage.
    private static readonly string[] AzureScenarios = ["storage", "sync", "async"];

    // `--app-setting KEY=VALUE` (repeatable, Azure path only) overrides an app setting of the Functions app for the
    // run, e.g. a host.json value as AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount=2.
    private const string AppSettingFlag = "--app-setting";

    public static async Task<int> RunAsync(string[] args)
    {
        bool quick = args.Contains("--quick");
        string host = ValueOf(args, "--host") ?? "local";
        string[] selected = [.. args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && !(i > 0 && ValueFlags.Contains(args[i - 1])))];
        string[] scenarios = host == "azure" ? AzureScenarios : [.. AllScenarios, Soak];
        if (!TryMinutes(args, "--minutes", 15, out double soakMinutes) || !TryMinutes(args, "--restart-minutes", 5, out double restartMinutes))
        {
            Console.Error.WriteLine("--minutes and --restart-minutes take a number of minutes above 0.");
            return 2;
        }

        string? unknown = selected.Except(scenarios).FirstOrDefault();
        string[] appSettings = [.. args.Where((_, i) => i > 0 && args[i - 1] == AppSettingFlag)];
        bool badSettings = appSettings.Any(s => s.IndexOf('=', StringComparison.Ordinal) <= 0) || (appSettings.Length > 0 && host != "azure");
        if (host is not ("local" or "azure") || unknown is not null || badSettings)
        {
            Console.Error.WriteLine(
                badSettings ? $"{AppSettingFlag} takes KEY=VALUE, with --host azure."
                : unknown is null ? $"Unknown host '{host}'." : $"Unknown scenario '{unknown}' for --host {host}.");
            Console.Error.WriteLine($"Usage: [--quick] [--host local|azure] [--minutes N] [--restart-minutes M] [{AppSettingFlag} KEY=VALUE ...] [scenario...]. Scenarios: {string.Join(", ", AllScenarios)}, {Soak} (local; {Soak} only when named), {string.Join(", ", AzureScenarios)} (azure).");
            return 2;
        }

        if (selected.Length == 0)
        {
            selected = host == "azure" ? AzureScenarios : AllScenarios;
        }

        if (host == "azure")
        {
            // The last value given for a setting wins, as the last of a repeated flag does.
            return await RunAzureAsync(selected, quick, appSettings.Select(s => s.Split('=', 2)).GroupBy(s => s[0]).ToDictionary(g => g.Key, g => g.Last()[1]));
        }

        var results = new BenchResults();
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        await using BenchStack stack = await BenchStack.StartAsync();
        foreach (string scenario in selected)
        {
            Console.WriteLine($"== {scenario}");
            Task run = scenario switch
            {
                "storage" => StorageCostScenario.RunLocalAsync(stack, results, quick),
                "progress" => ProgressPipelineScenario.RunAsync(stack, results),
                "sync" => SyncOverheadScenario.RunAsync(stack, results, TimeSpan.FromSeconds(quick ? 3 : 5)),
                "async" => RunAsyncJobsLocalAsync(stack, results, quick),
                Soak => SoakScenario.RunAsync(stack, results, TimeSpan.FromMinutes(soakMinutes), TimeSpan.FromMinutes(restartMinutes)),
                _ => ConnectionsScenario.RunAsync(stack, results, 1000),
            };
            await run;
        }

        results.Print();
        Console.WriteLine($"\n(ran in {clock.Elapsed.TotalMinutes:0.0} min)");
        return 0;
    }

    /// <summary>
    /// The Azure path, through negotiate and the SignalR Service emulator: the storage scenario on a stack of its own
    /// (its storage through the counter), then one stack for the sync and async scenarios.
    /// </summary>
    private static async Task<int> RunAzureAsync(string[] selected, bool quick, IReadOnlyDictionary<string, string> appSettings)
    {
        var results = new BenchResults();
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, Azure path");
        if (selected.Contains("storage"))
        {
            Console.WriteLine("== storage");
            await StorageCostScenario.RunAzureAsync(results, quick, appSettings);
        }

        string[] endToEnd = [.. selected.Where(s => s != "storage")];
        if (endToEnd.Length > 0)
        {
            await using BenchTarget azure = await BenchTarget.StartAzureAsync(appSettings);
            Console.WriteLine($"(stack up in {clock.Elapsed.TotalSeconds:0} s)");
            foreach (string scenario in endToEnd)
            {
                Console.WriteLine($"== {scenario}");
                await (scenario == "sync"
                    ? SyncOverheadScenario.RunAsync(azure, results, Duration(quick))
                    : AsyncJobsScenario.RunAsync(azure, results, quick, bare: null));
            }
        }

        results.Print();
        Console.WriteLine($"\n(ran in {clock.Elapsed.TotalMinutes:0.0} min)");
        return 0;
    }

    /// <summary>The local host, then a bare Durable orchestration offered the same load on the same Azurite.</summary>
    private static async Task RunAsyncJobsLocalAsync(BenchStack stack, BenchResults results, bool quick)
    {
        await using BenchTarget local = await BenchTarget.StartLocalAsync(stack, "async");
        await using BareDurable bare = await BareDurable.StartAsync(stack.Azurite.ConnectionString, "bareload" + Guid.NewGuid().ToString("N")[..8], TimeSpan.FromMilliseconds(100));
        await AsyncJobsScenario.RunAsync(local, results, quick, bare);
    }

    private static string? ValueOf(string[] args, string flag)
    {
        int at = Array.IndexOf(args, flag);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static bool TryMinutes(string[] args, string flag, double byDefault, out double minutes)
    {
        string? text = ValueOf(args, flag);
        minutes = byDefault;
        return text is null || (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out minutes) && minutes > 0);
    }

    private static TimeSpan Duration(bool quick) => TimeSpan.FromSeconds(quick ? 5 : 10);
}
