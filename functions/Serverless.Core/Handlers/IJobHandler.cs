using System.Text.Json;

namespace Serverless.Core.Handlers;

/// <summary>
/// One action the router can run. A handler is a list of stages; the router runs them inline (sync)
/// or one durable activity per stage (async), passing each stage's output to the next.
/// </summary>
public interface IJobHandler
{
    /// <summary>The action name clients send, e.g. <c>generate_report</c>.</summary>
    string Action { get; }

    /// <summary>The declared duration; above the router's threshold the action runs async.</summary>
    TimeSpan EstimatedDuration { get; }

    /// <summary>The stage names for this payload; called after <see cref="ValidatePayload"/>.</summary>
    IReadOnlyList<string> GetStages(JsonElement payload);

    /// <summary>Throws <see cref="Protocol.JobException"/> (VALIDATION_ERROR) for a payload the handler cannot run.</summary>
    void ValidatePayload(JsonElement payload);

    /// <summary>Runs one stage; the last stage's output is the job's result.</summary>
    ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken);
}
