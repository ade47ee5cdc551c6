using Serverless.Protocol;

namespace Serverless.Client;

/// <summary>
/// A call the service refused or could not answer. <see cref="Error"/> holds the typed error: the server's own,
/// or SERVICE_UNAVAILABLE / UNAUTHORIZED made up by the client when the service could not be reached.
/// </summary>
public sealed class JobClientException : Exception
{
    /// <summary>A failure carrying <paramref name="error"/>; the message is its code and message.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public JobClientException(JobError error)
        : this(error, innerException: null)
    {
    }

    /// <summary>A failure carrying <paramref name="error"/>, caused by <paramref name="innerException"/> (e.g. the network error).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public JobClientException(JobError error, Exception? innerException)
        : base(FormatMessage(error), innerException)
    {
        Error = error;
    }

    /// <summary>The typed error; its <see cref="JobError.Retryable"/> says whether sending again can help.</summary>
    public JobError Error { get; }

    /// <summary>True when the service was not reached at all (no answer, refused connection), as opposed to an answer with an error.</summary>
    public bool IsConnectionFailure { get; init; }

    private static string FormatMessage(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"{error.Code}: {error.Message}";
    }
}
