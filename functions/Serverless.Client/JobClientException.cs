using Serverless.Protocol;

namespace Serverless.Client;

/// <summary>
/// A call the service refused or could not answer. <see cref="Error"/> holds the typed error: the server's own,
/// or SERVICE_UNAVAILABLE / UNAUTHORIZED made up by the client when the service could not be reached.
/// </summary>
public sealed class JobClientException : Exception
{
    public JobClientException(JobError error)
        : this(error, innerException: null)
    {
    }

    public JobClientException(JobError error, Exception? innerException)
        : base(FormatMessage(error), innerException)
    {
        Error = error;
    }

    public JobError Error { get; }

    /// <summary>True when the service was not reached at all (no answer, refused connection), as opposed to an answer with an error.</summary>
    public bool IsConnectionFailure { get; init; }

    private static string FormatMessage(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"{error.Code}: {error.Message}";
    }
}
