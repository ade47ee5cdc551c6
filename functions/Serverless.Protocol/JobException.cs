namespace Serverless.Protocol;

/// <summary>Raised for any request the router refuses; carries the typed error sent to the client.</summary>
public sealed class JobException : Exception
{
    /// <summary>Carries <paramref name="error"/>; its message becomes the exception's.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public JobException(JobError error)
        : base(error?.Message)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>Carries <paramref name="error"/>, caused by <paramref name="innerException"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public JobException(JobError error, Exception innerException)
        : base(error?.Message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>The typed error the client gets.</summary>
    public JobError Error { get; }
}
