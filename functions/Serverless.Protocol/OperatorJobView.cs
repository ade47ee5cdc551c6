namespace Serverless.Protocol;

/// <summary>One row of the operators' job list: a job as its owner sees it, and who the owner is.</summary>
/// <param name="Owner">The owner id of the job's owner.</param>
/// <param name="Job">The job as its owner sees it.</param>
public sealed record OperatorJobView(string Owner, JobView Job);
