using System.Diagnostics;

namespace Serverless.LoadTest;

/// <summary>Runs the selected scenarios (default: all) and prints the table.</summary>
internal static class BenchRunner
{
    private static readonly string[] AllScenarios = ["progress", "sync", "async", "connections"];

    public static async Task<int> RunAsync(string[] args)
    {
        bool quick = args.Contains("--quick");
        string[] selected = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        if (selected.Except(AllScenarios).FirstOrDefault() is { } unknown)
        {
            Console.Error.WriteLine($"Unknown scenario '{unknown}'. Scenarios: {string.Join(", ", AllScenarios)}; option: --quick.");
            return 2;
        }

        if (selected.Length == 0)
        {
            selected = AllScenarios;
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
                "progress" => ProgressPipelineScenario.RunAsync(stack, results),
                "sync" => SyncOverheadScenario.RunAsync(stack, results, TimeSpan.FromSeconds(quick ? 5 : 10)),
                "async" => AsyncJobsScenario.RunAsync(stack, results, quick ? 150 : 300, 30),
                _ => ConnectionsScenario.RunAsync(stack, results, 1000),
            };
            await run;
        }

        results.Print();
        Console.WriteLine($"\n(ran in {clock.Elapsed.TotalMinutes:0.0} min)");
        return 0;
    }
}
