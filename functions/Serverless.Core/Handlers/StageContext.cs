using System.Text.Json;
using Serverless.Core.Progress;

namespace Serverless.Core.Handlers;

/// <summary>What a handler's stage gets to work with.</summary>
public sealed class StageContext
{
    /// <summary>The job this stage belongs to, the same on every attempt; for a sync request, its request id.</summary>
    public required string JobId { get; init; }

    /// <summary>The request's payload, as validated by <see cref="IJobHandler.ValidatePayload"/>.</summary>
    public required JsonElement Payload { get; init; }

    /// <summary>Zero-based index into the handler's stages.</summary>
    public required int StageIndex { get; init; }

    /// <summary>This stage's name, from <see cref="IJobHandler.GetStages"/>.</summary>
    public required string StageName { get; init; }

    /// <summary>How many stages the job has.</summary>
    public required int StageCount { get; init; }

    /// <summary>1 on the first run of this stage, 2 on its first retry, and so on.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The previous stage's output; null for the first stage.</summary>
    public JsonElement? PreviousOutput { get; init; }

    /// <summary>Reports stage-local progress (0–100). Cheap; throws once the job is cancelled.</summary>
    public required IProgressReporter Progress { get; init; }

    /// <summary>The clock a stage reads time and waits through (a fake one in tests); default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
