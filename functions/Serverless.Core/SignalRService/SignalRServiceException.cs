using System.Net;

namespace Serverless.Core.SignalRService;

/// <summary>A call to Azure SignalR Service failed for good (after retries), or was refused before sending.</summary>
internal sealed class SignalRServiceException : Exception
{
    public SignalRServiceException()
    {
    }

    public SignalRServiceException(string message)
        : base(message)
    {
    }

    public SignalRServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SignalRServiceException(string message, HttpStatusCode statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The service's last answer, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }
}
