using System.Collections.Concurrent;
using Serverless.Core.Events;

namespace Serverless.Testing;

/// <summary>Keeps every lifecycle event emitted, in order.</summary>
internal sealed class RecordingEventSink : IJobEventSink
{
    public ConcurrentQueue<JobEvent> Events { get; } = new();

    public void Emit(JobEvent jobEvent) => Events.Enqueue(jobEvent);
}
