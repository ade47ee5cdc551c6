using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.Notifications;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Jobs;

/// <summary>
/// The body of the <see cref="JobTaskNames.FinishJob"/> activity, and the end of a successful last stage:
/// persists the terminal state and message once (a re-run finds it already written and only pushes it again),
/// then pushes it to the owner.
/// </summary>
internal sealed class JobFinisher(IJobStore store, IClientNotifier notifier, IJobEventSink events, ServerlessMetrics metrics, TimeProvider time, ILogger<JobFinisher> logger)
{
    public async Task FinishAsync(FinishInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        JobRecord job = await store.GetAsync(input.JobId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {input.JobId} has no state row.");
        await FinishAsync(input, job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finishes <paramref name="job"/> as the caller last read or wrote it (its status and last seq).</summary>
    internal async Task FinishAsync(FinishInput input, JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(job);
        using Activity? span = StartSpan(input);
        JobMessage terminal;
        if (JobStatus.IsTerminal(job.Status))
        {
            IReadOnlyList<JobMessage> last = await store.GetEventsAsync(job.JobId, job.LastSeq - 1, 1, cancellationToken).ConfigureAwait(false);
            terminal = last.Count == 1 ? last[0] : throw new InvalidDataException($"Job {job.JobId} ended without a terminal event.");
        }
        else
        {
            DateTimeOffset now = time.GetUtcNow();
            (terminal, JobUpdate update) = Terminal(AttributeCancel(input, job), job.JobId, job.LastSeq + 1, now);
            await store.AppendAsync(update, [terminal], cancellationToken).ConfigureAwait(false);
            RecordFinished(metrics, job, input.Status, now);
        }

        await AnnounceAsync(terminal, job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A cancellation an operator asked for says so in its <c>CANCELLED</c> error: the operator in the message and as
    /// <c>details.cancelledBy</c>, so the owner's history shows who stopped the job.
    /// </summary>
    private static FinishInput AttributeCancel(FinishInput input, JobRecord job) =>
        input.Status == JobStatus.Cancelled && job.CancelledBy is { } operatorId
            ? input with
            {
                Error = new JobError(ErrorCodes.Cancelled, $"The job was cancelled by operator '{operatorId}'.")
                {
                    Details = JsonDocument.Parse(new JsonObject { ["cancelledBy"] = operatorId }.ToJsonString()).RootElement.Clone(),
                },
            }
            : input;

    /// <summary>The terminal message of <paramref name="input"/> as event <paramref name="seq"/>, and the state change that goes with it.</summary>
    internal static (JobMessage Message, JobUpdate Update) Terminal(FinishInput input, string jobId, long seq, DateTimeOffset now)
    {
        JsonElement? result = input.ResultJson is null ? null : JsonDocument.Parse(input.ResultJson).RootElement.Clone();
        var terminal = new JobMessage
        {
            Type = input.Status switch
            {
                JobStatus.Completed => MessageTypes.Completed,
                JobStatus.Cancelled => MessageTypes.Cancelled,
                _ => MessageTypes.Failed,
            },
            JobId = jobId,
            Seq = seq,
            Percent = input.Status == JobStatus.Completed ? 100 : null,
            At = now,
            Result = result,
            Error = input.Error,
        };
        var update = new JobUpdate
        {
            JobId = jobId,
            LastSeq = seq,
            UpdatedAt = now,
            CompletedAt = now,
            Status = input.Status,
            Percent = terminal.Percent,
            Result = result,
            Error = input.Error,
        };
        return (terminal, update);
    }

    /// <summary>The <c>job.finish</c> span, a child of the job's schedule span like each stage's.</summary>
    internal static Activity? StartSpan(FinishInput input)
    {
        Activity? span = ServerlessTelemetry.StartJobSpan("job.finish", input.TraceParent, input.JobId);
        span?.SetTag("job.status", input.Status);
        if (input.Error is { } error)
        {
            span.SetError(error.Code);
        }

        return span;
    }

    /// <summary>Counts a terminal state just written.</summary>
    internal static void RecordFinished(ServerlessMetrics metrics, JobRecord job, string status, DateTimeOffset now)
    {
        metrics.JobsFinished.Add(1, new("action", job.Action), new("status", status));
        metrics.JobDuration.Record((now - job.CreatedAt).TotalSeconds, new("action", job.Action), new("mode", JobMode.Async));
    }

    /// <summary>After the terminal state is persisted: to the event stream, out of the owner's active jobs, and to the owner.</summary>
    internal async Task AnnounceAsync(JobMessage terminal, JobRecord job, CancellationToken cancellationToken)
    {
        // Also on a re-run: the first run may have stopped between the terminal write and this. The event's id
        // is the same then, so the stream's consumers dedupe it.
        events.Emit(JobEvent.FromTerminal(terminal, job));
        await store.MarkEndedAsync(job, cancellationToken).ConfigureAwait(false);
        await JobNotifications.PushAsync(notifier, job.OwnerId, terminal, metrics, logger, cancellationToken).ConfigureAwait(false);
    }
}
