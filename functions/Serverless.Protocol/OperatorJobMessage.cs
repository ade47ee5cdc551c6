namespace Serverless.Protocol;

/// <summary>One message of the operators' feed: a job message as its owner got it, and who the owner is.</summary>
public sealed record OperatorJobMessage(string Owner, JobMessage Message);
