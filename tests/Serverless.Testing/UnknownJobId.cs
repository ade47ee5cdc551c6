namespace Serverless.Testing;

/// <summary>A well-formed job id that no job has: NOT_FOUND, unlike the malformed ones.</summary>
public sealed record UnknownJobId(string Value);
