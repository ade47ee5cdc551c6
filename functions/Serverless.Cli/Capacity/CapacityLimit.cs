namespace Serverless.Cli.Capacity;

/// <summary>One limit of a single deployment and how much of it the demand uses (1 = all of it).</summary>
internal sealed record CapacityLimit(string Name, double Utilization, string HowToGoPast);
