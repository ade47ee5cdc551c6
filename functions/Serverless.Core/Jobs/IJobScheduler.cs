namespace Serverless.Core.Jobs;

/// <summary>Starts job orchestrations (a Durable Task client in both hosts).</summary>
internal interface IJobScheduler
{
    /// <summary>Schedules the orchestration with instance id <see cref="JobInput.InstanceIdOf"/>(job id, run): the job id for a first run.</summary>
    Task ScheduleAsync(JobInput input, CancellationToken cancellationToken);

    /// <summary>
    /// Schedules the first run of a job whose rows the caller has just created. The job store's insert already refused
    /// any duplicate, so no instance with its id can exist: a backend may skip looking for one. By default the same as
    /// <see cref="ScheduleAsync"/>.
    /// </summary>
    Task ScheduleNewAsync(JobInput input, CancellationToken cancellationToken) => ScheduleAsync(input, cancellationToken);

    /// <summary>Whether an orchestration instance with this id exists.</summary>
    Task<bool> IsScheduledAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>The input an orchestration instance was started with, or null when there is no such instance.</summary>
    Task<JobInput?> GetInputAsync(string instanceId, CancellationToken cancellationToken);
}
