namespace Serverless.Core.Events;

/// <summary>The port jobs emit lifecycle events through.</summary>
internal interface IJobEventSink
{
    /// <summary>
    /// Hands the event over without waiting: an in-memory enqueue that never blocks, never throws and never
    /// touches the network, so the event stream can never slow or fail a job.
    /// </summary>
    void Emit(JobEvent jobEvent);
}
