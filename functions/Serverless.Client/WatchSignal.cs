namespace Serverless.Client;

/// <summary>What woke a watch up.</summary>
internal enum WatchSignal
{
    /// <summary>A message was offered; there may be something to yield.</summary>
    Arrived,

    /// <summary>The connection came back: ask for what was persisted meanwhile.</summary>
    ResyncRequested,

    /// <summary>Nothing arrived in time: a push may have been lost, ask for what was persisted.</summary>
    TimedOut,

    /// <summary>The connection is gone for good.</summary>
    Closed,
}
