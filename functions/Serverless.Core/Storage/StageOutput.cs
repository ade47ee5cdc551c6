namespace Serverless.Core.Storage;

/// <summary>The output of a job's completed stage, kept in the job's partition for a retry to start after it.</summary>
internal sealed record StageOutput(int StageIndex, string Json);
