using System.Text.Json;
using Serverless.Protocol;

namespace Serverless.Core.Handlers;

/// <summary>
/// <c>simulate</c> (async): a test and load handler. Payload: <c>durationMs</c> (default 2000), <c>updates</c>
/// (progress reports, default 20), <c>stages</c> (default 1), <c>failTimes</c> (fail that many attempts of
/// <c>failStage</c>, then succeed), <c>alwaysFail</c>, <c>resultBytes</c> (pad the result, e.g. past a Table property's size),
/// <c>metadata</c> (each report carries <c>{update, updates}</c>) and <c>metadataPadding</c> (that many more characters of it).
/// </summary>
internal sealed class SimulateHandler : IJobHandler
{
    public string Action => "simulate";

    public TimeSpan EstimatedDuration => TimeSpan.FromMinutes(1);

    public IReadOnlyList<string> GetStages(JsonElement payload)
    {
        int stages = SimulatePlan.Read(payload).Stages;
        return [.. Enumerable.Range(1, stages).Select(i => $"step-{i}")];
    }

    public void ValidatePayload(JsonElement payload) => SimulatePlan.Read(payload);

    public async ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken)
    {
        SimulatePlan plan = SimulatePlan.Read(context.Payload);
        bool failHere = context.StageIndex == plan.FailStage && (plan.AlwaysFail || context.Attempt <= plan.FailTimes);

        int updates = plan.Updates / plan.Stages + (context.StageIndex < plan.Updates % plan.Stages ? 1 : 0);
        TimeSpan stageDuration = TimeSpan.FromMilliseconds((double)plan.DurationMs / plan.Stages);
        long started = context.TimeProvider.GetTimestamp();

        for (int i = 1; i <= updates; i++)
        {
            // Pace against the stage's start so timer granularity does not accumulate as drift.
            TimeSpan due = stageDuration * i / updates;
            TimeSpan wait = due - context.TimeProvider.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            if (failHere && i > updates / 2)
            {
                break;
            }

            JsonElement? metadata = plan.Metadata
                ? JsonSerializer.SerializeToElement(
                    new SimulateProgress(i, updates, plan.MetadataPadding > 0 ? new string('p', plan.MetadataPadding) : null), HandlerJson.Default.SimulateProgress)
                : null;
            context.Progress.Report(100.0 * i / updates, $"update {i} of {updates}", metadata);
        }

        if (updates == 0 && stageDuration > TimeSpan.Zero)
        {
            await Task.Delay(stageDuration, context.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (failHere)
        {
            throw new SimulatedFailureException(
                $"Injected failure in stage {context.StageIndex + 1}, attempt {context.Attempt}.");
        }

        string? filler = plan.ResultBytes > 0 ? new string('r', plan.ResultBytes) : null;

        // Counted through the stages' outputs, so the result shows each stage got its predecessor's output.
        int stagesCompleted = 1 + (context.PreviousOutput is { ValueKind: JsonValueKind.Object } previous
            && previous.TryGetProperty("stagesCompleted", out JsonElement before) && before.TryGetInt32(out int count) ? count : 0);
        var output = new SimulateResult(plan.Stages, plan.Updates, plan.DurationMs, context.Attempt, stagesCompleted, filler);
        return JsonSerializer.SerializeToElement(output, HandlerJson.Default.SimulateResult);
    }

    private sealed record SimulatePlan(
        int DurationMs, int Updates, int Stages, int FailTimes, int FailStage, bool AlwaysFail, int ResultBytes, bool Metadata, int MetadataPadding)
    {
        public static SimulatePlan Read(JsonElement payload)
        {
            PayloadReader.RequireObjectOrEmpty(payload);
            int stages = PayloadReader.GetInt32(payload, "stages", 1, 1, 20);
            var plan = new SimulatePlan(
                PayloadReader.GetInt32(payload, "durationMs", 2000, 0, 3_600_000),
                PayloadReader.GetInt32(payload, "updates", 20, 0, 1_000_000),
                stages,
                PayloadReader.GetInt32(payload, "failTimes", 0, 0, 100),
                PayloadReader.GetInt32(payload, "failStage", 0, 0, stages - 1),
                PayloadReader.GetBoolean(payload, "alwaysFail", false),
                PayloadReader.GetInt32(payload, "resultBytes", 0, 0, 2_000_000),
                PayloadReader.GetBoolean(payload, "metadata", false),
                PayloadReader.GetInt32(payload, "metadataPadding", 0, 0, 100_000));
            return plan;
        }
    }
}

/// <summary>The output of a <c>simulate</c> stage; <paramref name="StagesCompleted"/>: this stage and those before it, counted through their outputs.</summary>
internal sealed record SimulateResult(int Stages, int Updates, int DurationMs, int Attempt, int StagesCompleted, string? Filler = null);

/// <summary>The failure <c>simulate</c> injects on request.</summary>
internal sealed class SimulatedFailureException(string message) : Exception(message);
