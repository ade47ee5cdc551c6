namespace Serverless.Core.Capacity;

/// <summary>
/// The queues of a Durable Task hub on the Azure Storage backend: one control queue per partition
/// (<c>{hub}-control-00</c>…) carrying orchestration messages, and one work-item queue (<c>{hub}-workitems</c>) carrying
/// activity messages. Each host says which hub it runs on.
/// </summary>
internal sealed record TaskHubQueues
{
    public TaskHubQueues(string taskHubName, int partitionCount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskHubName);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitionCount, 16);
        string prefix = taskHubName.ToLowerInvariant();
        ControlQueues = [.. Enumerable.Range(0, partitionCount).Select(i => $"{prefix}-control-{i:00}")];
        WorkItemQueue = $"{prefix}-workitems";
    }

    public IReadOnlyList<string> ControlQueues { get; }

    public string WorkItemQueue { get; }
}
