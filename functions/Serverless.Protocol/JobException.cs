namespace Serverless.Protocol;

/// <summary>Raised for any request the router refuses; carries the typed error sent to the client.</summary>
public sealed class JobException : Exception
{
    public JobException(JobError error)
        : base(error?.Message)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    public JobException(JobError error, Exception innerException)
        : base(error?.Message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    public JobError Error { get; }
}
