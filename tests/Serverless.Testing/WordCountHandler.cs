using System.Text.Json;
using Serverless.Core.Handlers;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>
/// A custom handler as docs/HANDLERS.md shows it: <c>word_count</c> counts the words of <c>payload.text</c> in two
/// stages. It declares 10 s, so the router runs it async, as a durable job.
/// </summary>
public sealed class WordCountHandler : IJobHandler
{
    private static readonly string[] Stages = ["split", "count"];

    public string Action => "word_count";

    public TimeSpan EstimatedDuration => TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> GetStages(JsonElement payload) => Stages;

    public void ValidatePayload(JsonElement payload) => Text(payload);

    public ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.StageIndex == 0)
        {
            string[] words = Text(context.Payload).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            context.Progress.Report(100, $"{words.Length} words");
            return ValueTask.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(words));
        }

        string[] split = context.PreviousOutput!.Value.Deserialize<string[]>()!;
        var counts = split.GroupBy(w => w.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count());
        return ValueTask.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(new { words = split.Length, distinct = counts.Count, counts }));
    }

    private static string Text(JsonElement payload) =>
        PayloadReader.GetString(payload, "text", string.Empty, 10_000) is { Length: > 0 } text
            ? text
            : throw new JobException(JobError.Validation("payload.text is required."));
}
