namespace Serverless.Cli.Capacity;

/// <summary>The load a deployment is planned for.</summary>
/// <param name="JobsPerSecond">Async jobs submitted per second (each the measured 3-stage job).</param>
/// <param name="UpdatesPerSecond">Progress flushes per second over all running jobs, beyond each job's own lifecycle messages.</param>
/// <param name="Clients">Concurrent client connections.</param>
internal sealed record CapacityDemand(double JobsPerSecond, double UpdatesPerSecond, int Clients);
