namespace Serverless.Core.Handlers;

/// <summary>The metadata <c>process_data</c> reports after each batch: how far through the stage's records it is.</summary>
internal sealed record BatchProgress(int RecordsProcessed, int RecordsTotal, int RecordsKept);

/// <summary>The metadata <c>generate_report</c> reports as it collects: the month done and the rows so far.</summary>
internal sealed record CollectProgress(string Month, int RowsCollected);

/// <summary>The metadata <c>simulate</c> reports when asked (<c>metadata: true</c>); <paramref name="Padding"/> makes it as large as a test needs.</summary>
internal sealed record SimulateProgress(int Update, int Updates, string? Padding = null);
