using Serverless.Protocol;

namespace Serverless.Cli;

/// <summary>The process exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The job failed or was cancelled, the service refused the request, or a check failed.</summary>
    public const int Failed = 1;

    /// <summary>The command line or its input (payload, request) is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The service could not be reached or refused the credentials.</summary>
    public const int ConnectionOrAuth = 3;

    public static int For(JobError error) => error.Code switch
    {
        ErrorCodes.ValidationError or ErrorCodes.UnknownAction or ErrorCodes.PayloadTooLarge => Usage,
        ErrorCodes.Unauthorized or ErrorCodes.ServiceUnavailable => ConnectionOrAuth,
        _ => Failed,
    };
}
