namespace Serverless.Core.Jobs;

/// <summary>The Durable Task names both hosts register the job orchestration and its activities under.</summary>
internal static class JobTaskNames
{
    public const string Orchestration = "JobOrchestration";
    public const string RunStage = "RunStage";
    public const string FinishJob = "FinishJob";
}
