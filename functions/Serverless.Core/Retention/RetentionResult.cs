namespace Serverless.Core.Retention;

/// <summary>What one retention run deleted.</summary>
internal sealed record RetentionResult(DateTimeOffset Cutoff, int Jobs, int OrchestrationInstances);
