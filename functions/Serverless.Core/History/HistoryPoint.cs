namespace Serverless.Core.History;

/// <summary>
/// One minute of one action, summed over every host instance (<c>GET /api/stats/history</c>): requests submitted,
/// async jobs ended by status, and percentiles in milliseconds of the time from submit to the end (sync answers
/// and async jobs) and of async acks. Percentiles are bucket upper bounds (<see cref="LatencyBuckets"/>); null
/// when nothing was measured.
/// </summary>
internal sealed record HistoryPoint(
    DateTimeOffset Minute,
    string Action,
    long Submitted,
    long Completed,
    long Failed,
    long Cancelled,
    double? DurationP50Ms,
    double? DurationP95Ms,
    double? DurationP99Ms,
    double? AckP50Ms,
    double? AckP95Ms,
    double? AckP99Ms);
