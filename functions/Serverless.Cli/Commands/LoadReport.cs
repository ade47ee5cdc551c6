namespace Serverless.Cli.Commands;

/// <summary>The result of <c>load</c>: how many jobs succeeded and how fast they were acknowledged and completed.</summary>
internal sealed record LoadReport(
    string Action,
    int Clients,
    int JobsPerClient,
    int Total,
    int Succeeded,
    int Failed,
    double SuccessRate,
    double ElapsedMs,
    LatencySummary AckMs,
    LatencySummary CompletionMs,
    IReadOnlyDictionary<string, int> Errors);
