namespace Serverless.Protocol;

/// <summary>
/// The answer of <c>GET /api/stats</c>. <see cref="Finished"/> counts sync requests answered and async jobs
/// ended; <see cref="ErrorRate"/> is async jobs ended <c>failed</c> over <see cref="Finished"/>; <see cref="Rejected"/>
/// counts refused requests (any error code). Latencies run from submit to the end; null with no jobs in the window.
/// <see cref="Capacity"/> is what the host has left now.
/// </summary>
public sealed record JobStatisticsSnapshot(
    double WindowSeconds,
    int Finished,
    int Failed,
    int Rejected,
    double ThroughputPerSecond,
    double ErrorRate,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    CapacitySnapshot Capacity);
