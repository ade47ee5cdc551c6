namespace Serverless.Cli;

/// <summary>A command line or input the CLI cannot use; exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
