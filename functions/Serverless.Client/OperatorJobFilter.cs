namespace Serverless.Client;

/// <summary>Which jobs <see cref="JobClient.ListAnyJobsAsync"/> asks for; null leaves a filter out (and the limit at the server's default).</summary>
public sealed record OperatorJobFilter
{
    /// <summary>One owner's jobs, by owner id as the list shows it.</summary>
    public string? User { get; init; }

    /// <summary>Jobs of this action only.</summary>
    public string? Action { get; init; }

    /// <summary>Jobs in this status only (one of <see cref="Serverless.Protocol.JobStatus"/>).</summary>
    public string? Status { get; init; }

    /// <summary>Created at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Created at or before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The most jobs answered, 1–100; the server's default is 20.</summary>
    public int? Limit { get; init; }
}
