using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Core.Jobs;

namespace Serverless.Functions.Durable;

/// <summary>The job orchestration; registered under the name the Core scheduler starts.</summary>
internal static class JobOrchestrationFunction
{
    [Function(JobTaskNames.Orchestration)]
    public static Task<string> RunJob([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        JobInput input = context.GetInput<JobInput>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no job input.");
        return new JobOrchestration().RunAsync(context, input);
    }
}
