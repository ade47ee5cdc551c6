namespace Serverless.Core.Storage;

/// <summary>What the operators' job list asks the store for; every filter is optional, <see cref="From"/> and <see cref="To"/> bound the creation time.</summary>
internal sealed record JobQuery
{
    public string? OwnerId { get; init; }

    public string? Action { get; init; }

    public string? Status { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>How many jobs to answer with at most.</summary>
    public required int Limit { get; init; }

    /// <summary>How many rows to read at most before answering with what was found.</summary>
    public required int MaxScan { get; init; }
}
