namespace Serverless.Protocol;

/// <summary>One row of the operators' job list: a job as its owner sees it, and who the owner is.</summary>
public sealed record OperatorJobView(string Owner, JobView Job);
