namespace Serverless.Cli.Commands;

/// <summary>The result of <c>doctor</c>: ok when no check is red.</summary>
internal sealed record DoctorReport(bool Ok, IReadOnlyList<DoctorCheck> Checks);
