namespace Serverless.Cli.Commands;

/// <summary>One preflight check: <c>green</c>, <c>yellow</c> (works, with a caveat) or <c>red</c>, and how to fix it.</summary>
internal sealed record DoctorCheck(string Name, string Status, string Detail, string? Fix = null)
{
    public const string Green = "green";
    public const string Yellow = "yellow";
    public const string Red = "red";

    public static DoctorCheck Pass(string name, string detail) => new(name, Green, detail);

    public static DoctorCheck Warn(string name, string detail, string fix) => new(name, Yellow, detail, fix);

    public static DoctorCheck Fail(string name, string detail, string fix) => new(name, Red, detail, fix);
}
