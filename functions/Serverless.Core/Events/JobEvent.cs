using System.Globalization;
using System.Text.Json;
using Serverless.Core.Storage;
using Serverless.EventStream;
using Serverless.Protocol;

namespace Serverless.Core.Events;

/// <summary>
/// One lifecycle event as a job emits it. Deliberately not yet a <see cref="JobEventEnvelope"/>: serializing
/// and stamping the source happen on the background writer, so emitting costs the job only an enqueue.
/// </summary>
/// <param name="Type">One of <see cref="JobEventTypes"/>.</param>
/// <param name="JobId">The job; becomes the CloudEvents <c>subject</c> and the partition key.</param>
/// <param name="Id">Stable for this occurrence, so a re-emitted or re-shipped event dedupes.</param>
/// <param name="Time">When it happened.</param>
/// <param name="Data">The payload.</param>
internal sealed record JobEvent(string Type, string JobId, string Id, DateTimeOffset Time, JobEventData Data)
{
    /// <summary>This event as it travels: a CloudEvents envelope stamped with <paramref name="source"/>, its data serialized.</summary>
    public JobEventEnvelope ToEnvelope(string source) => new()
    {
        Id = Id,
        Source = source,
        Type = Type,
        Time = Time,
        Subject = JobId,
        Seq = Data.Seq,
        Data = new BinaryData(JsonSerializer.SerializeToUtf8Bytes(Data, EventStreamJson.Default.JobEventData)),
    };

    /// <summary>The job was recorded; the id carries the creation time, so a job re-created after a failed schedule is a new event.</summary>
    public static JobEvent Submitted(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(JobEventTypes.Submitted, job.JobId, Key(job.JobId, "submitted", job.CreatedAt.UtcTicks), job.CreatedAt, new JobEventData
        {
            RequestId = job.RequestId,
            Action = job.Action,
            Priority = job.Priority,
            Status = job.Status,
        });
    }

    public static JobEvent Accepted(JobRecord job, int stageCount, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(JobEventTypes.Accepted, job.JobId, Key(job.JobId, "accepted", job.CreatedAt.UtcTicks), at, new JobEventData
        {
            RequestId = job.RequestId,
            Action = job.Action,
            Status = job.Status,
            StageCount = stageCount,
        });
    }

    /// <summary>A job that was accepted but could not be scheduled (and was removed again).</summary>
    public static JobEvent NotScheduled(JobRecord job, JobError error, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(JobEventTypes.Failed, job.JobId, Key(job.JobId, "failed", job.CreatedAt.UtcTicks), at, new JobEventData
        {
            RequestId = job.RequestId,
            Action = job.Action,
            Status = JobStatus.Failed,
            Error = JobEventData.Truncate(error),
            DurationMs = (at - job.CreatedAt).TotalMilliseconds,
        });
    }

    /// <summary>A persisted progress message: a stage start when <paramref name="attempt"/> is set, else a progress flush.</summary>
    public static JobEvent FromProgress(JobMessage progress, int stageIndex, int stageCount, int? attempt)
    {
        ArgumentNullException.ThrowIfNull(progress);
        long seq = progress.Seq ?? throw new ArgumentException("A persisted message has a seq.", nameof(progress));
        string jobId = progress.JobId!;
        return new(attempt is null ? JobEventTypes.Progress : JobEventTypes.StageStarted, jobId, Key(jobId, seq), progress.At!.Value, new JobEventData
        {
            Seq = seq,
            Status = JobStatus.Running,
            Stage = progress.Stage,
            StageIndex = stageIndex,
            StageCount = stageCount,
            Attempt = attempt,
            Percent = progress.Percent,
            Message = JobEventData.Truncate(progress.Message),
            Coalesced = progress.Coalesced,
        });
    }

    /// <summary>A stage attempt ended; <paramref name="lastSeq"/> is the seq of its last persisted message.</summary>
    public static JobEvent StageFinished(string jobId, string stage, int stageIndex, int stageCount, int attempt, long lastSeq, string outcome, DateTimeOffset at) =>
        new(JobEventTypes.StageFinished, jobId, Key(jobId, lastSeq) + ".finished", at, new JobEventData
        {
            Seq = lastSeq,
            Stage = stage,
            StageIndex = stageIndex,
            StageCount = stageCount,
            Attempt = attempt,
            Outcome = outcome,
        });

    /// <summary>The persisted terminal message; a re-run of the finisher emits the same id.</summary>
    public static JobEvent FromTerminal(JobMessage terminal, JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(job);
        long seq = terminal.Seq ?? throw new ArgumentException("A persisted message has a seq.", nameof(terminal));
        string type = terminal.Type switch
        {
            MessageTypes.Completed => JobEventTypes.Completed,
            MessageTypes.Cancelled => JobEventTypes.Cancelled,
            _ => JobEventTypes.Failed,
        };
        DateTimeOffset at = terminal.At ?? job.UpdatedAt;
        return new(type, job.JobId, Key(job.JobId, seq), at, new JobEventData
        {
            Seq = seq,
            RequestId = job.RequestId,
            Action = job.Action,
            Status = terminal.Type,
            Percent = terminal.Percent,
            Error = JobEventData.Truncate(terminal.Error),
            DurationMs = (at - job.CreatedAt).TotalMilliseconds,
        });
    }

    /// <summary>
    /// An operator's control: <paramref name="subject"/> is the job for a cancel, else <see cref="JobEventTypes.OperatorsSubject"/>;
    /// <paramref name="data"/> names the control, its target and the operator.
    /// </summary>
    public static JobEvent OperatorControl(string subject, DateTimeOffset at, JobEventData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new(JobEventTypes.OperatorControl, subject, Key(subject, "operator." + data.Control, at.UtcTicks), at, data);
    }

    /// <summary>An operator's retry, as its persisted message <paramref name="started"/> (from stage <paramref name="stageIndex"/>).</summary>
    public static JobEvent Retried(JobRecord job, JobMessage started, int stageIndex, int stageCount, string operatorId)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(started);
        long seq = started.Seq ?? throw new ArgumentException("A persisted message has a seq.", nameof(started));
        return new(JobEventTypes.Retried, job.JobId, Key(job.JobId, seq), started.At!.Value, new JobEventData
        {
            Seq = seq,
            RequestId = job.RequestId,
            Action = job.Action,
            Status = JobStatus.Queued,
            Stage = started.Stage,
            StageIndex = stageIndex,
            StageCount = stageCount,
            Percent = started.Percent,
            Message = JobEventData.Truncate(started.Message),
            OperatorId = operatorId,
        });
    }

    private static string Key(string jobId, long seq) => string.Create(CultureInfo.InvariantCulture, $"{jobId}.{seq}");

    private static string Key(string jobId, string what, long ticks) => string.Create(CultureInfo.InvariantCulture, $"{jobId}.{what}.{ticks}");
}
