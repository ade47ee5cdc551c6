namespace Serverless.Core.Jobs;

/// <summary>Starts job orchestrations (a Durable Task client in both hosts).</summary>
public interface IJobScheduler
{
    /// <summary>Schedules the orchestration with instance id = job id.</summary>
    Task ScheduleAsync(JobInput input, CancellationToken cancellationToken);

    /// <summary>Whether an orchestration instance exists for the job.</summary>
    Task<bool> IsScheduledAsync(string jobId, CancellationToken cancellationToken);
}
