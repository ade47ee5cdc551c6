namespace Serverless.Protocol;

/// <summary>One message of the operators' feed: a job message as its owner got it, and who the owner is.</summary>
/// <param name="Owner">The owner id of the job's owner.</param>
/// <param name="Message">The message exactly as the owner got it.</param>
public sealed record OperatorJobMessage(string Owner, JobMessage Message);
