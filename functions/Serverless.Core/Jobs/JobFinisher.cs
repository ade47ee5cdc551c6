using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.Notifications;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Jobs;

/// <summary>
/// The body of the <see cref="JobTaskNames.FinishJob"/> activity: persists the terminal state and message once
/// (a re-run finds it already written and only pushes it again), then pushes it to the owner.
/// </summary>
public sealed class JobFinisher(IJobStore store, IClientNotifier notifier, IJobEventSink events, ServerlessMetrics metrics, TimeProvider time, ILogger<JobFinisher> logger)
{
    public async Task FinishAsync(FinishInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = ServerlessTelemetry.StartJobSpan("job.finish", input.TraceParent, input.JobId);
        span?.SetTag("job.status", input.Status);
        if (input.Error is { } error)
        {
            span.SetError(error.Code);
        }

        JobRecord job = await store.GetAsync(input.JobId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {input.JobId} has no state row.");

        JobMessage terminal;
        if (JobStatus.IsTerminal(job.Status))
        {
            IReadOnlyList<JobMessage> last = await store.GetEventsAsync(job.JobId, job.LastSeq - 1, 1, cancellationToken).ConfigureAwait(false);
            terminal = last.Count == 1 ? last[0] : throw new InvalidDataException($"Job {job.JobId} ended without a terminal event.");
        }
        else
        {
            DateTimeOffset now = time.GetUtcNow();
            JsonElement? result = input.ResultJson is null ? null : JsonDocument.Parse(input.ResultJson).RootElement.Clone();
            terminal = new JobMessage
            {
                Type = input.Status switch
                {
                    JobStatus.Completed => MessageTypes.Completed,
                    JobStatus.Cancelled => MessageTypes.Cancelled,
                    _ => MessageTypes.Failed,
                },
                JobId = job.JobId,
                Seq = job.LastSeq + 1,
                Percent = input.Status == JobStatus.Completed ? 100 : null,
                At = now,
                Result = result,
                Error = input.Error,
            };
            var update = new JobUpdate
            {
                JobId = job.JobId,
                LastSeq = job.LastSeq + 1,
                UpdatedAt = now,
                CompletedAt = now,
                Status = input.Status,
                Percent = terminal.Percent,
                Result = result,
                Error = input.Error,
            };
            await store.AppendAsync(update, [terminal], cancellationToken).ConfigureAwait(false);
            metrics.JobsFinished.Add(1, new("action", job.Action), new("status", input.Status));
            metrics.JobDuration.Record((now - job.CreatedAt).TotalSeconds, new("action", job.Action), new("mode", JobMode.Async));
        }

        // Also on a re-run: the first run may have stopped between the terminal write and this. The event's id
        // is the same then, so the stream's consumers dedupe it.
        events.Emit(JobEvent.FromTerminal(terminal, job));
        await store.MarkEndedAsync(job, cancellationToken).ConfigureAwait(false);
        await JobNotifications.PushAsync(notifier, job.OwnerId, terminal, metrics, logger, cancellationToken).ConfigureAwait(false);
    }
}
