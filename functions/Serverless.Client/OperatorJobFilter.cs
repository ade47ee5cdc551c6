namespace Serverless.Client;

/// <summary>Which jobs <see cref="JobClient.ListAnyJobsAsync"/> asks for; null leaves a filter out (and the limit at the server's default).</summary>
public sealed record OperatorJobFilter
{
    /// <summary>One owner's jobs, by owner id as the list shows it.</summary>
    public string? User { get; init; }

    public string? Action { get; init; }

    public string? Status { get; init; }

    /// <summary>Created at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Created at or before this time.</summary>
    public DateTimeOffset? To { get; init; }

    public int? Limit { get; init; }
}
