namespace Serverless.Protocol;

/// <summary>
/// The answer of <c>GET /api/operators/jobs</c>: matching jobs, newest first; <see cref="Complete"/> is false when the
/// scan stopped at its bound before it had seen every job, so older matches may exist.
/// </summary>
/// <param name="Jobs">The matching jobs, newest first, at most the requested limit.</param>
/// <param name="Complete">False when the scan stopped at its bound; older matches may exist.</param>
public sealed record OperatorJobList(IReadOnlyList<OperatorJobView> Jobs, bool Complete);
