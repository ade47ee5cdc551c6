namespace Serverless.Protocol;

/// <summary>
/// The answer of <c>GET /api/operators/jobs</c>: matching jobs, newest first; <see cref="Complete"/> is false when the
/// scan stopped at its bound before it had seen every job, so older matches may exist.
/// </summary>
public sealed record OperatorJobList(IReadOnlyList<OperatorJobView> Jobs, bool Complete);
