namespace Serverless.Protocol;

/// <summary>
/// The answer of <c>GET /api/stats</c>. <see cref="Finished"/> counts sync requests answered and async jobs
/// ended; <see cref="ErrorRate"/> is async jobs ended <c>failed</c> over <see cref="Finished"/>; <see cref="Rejected"/>
/// counts refused requests (any error code). Latencies run from submit to the end; null with no jobs in the window.
/// <see cref="Capacity"/> is what the host has left now.
/// </summary>
/// <param name="WindowSeconds">The rolling window the figures cover, in seconds (60).</param>
/// <param name="Finished">Sync requests answered successfully plus async jobs ended, in the window.</param>
/// <param name="Failed">Async jobs ended <c>failed</c> in the window.</param>
/// <param name="Rejected">Requests refused with any error code in the window.</param>
/// <param name="ThroughputPerSecond"><see cref="Finished"/> over <see cref="WindowSeconds"/>.</param>
/// <param name="ErrorRate"><see cref="Failed"/> over <see cref="Finished"/>, 0–1.</param>
/// <param name="LatencyP50Ms">Median submit-to-end time, in milliseconds; null with no finished jobs.</param>
/// <param name="LatencyP95Ms">95th percentile submit-to-end time, in milliseconds; null with no finished jobs.</param>
/// <param name="LatencyP99Ms">99th percentile submit-to-end time, in milliseconds; null with no finished jobs.</param>
/// <param name="Capacity">What this host has left now.</param>
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
