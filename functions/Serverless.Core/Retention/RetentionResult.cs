namespace Serverless.Core.Retention;

/// <summary>What one retention run deleted.</summary>
public sealed record RetentionResult(DateTimeOffset Cutoff, int Jobs, int OrchestrationInstances);
