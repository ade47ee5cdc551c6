namespace Serverless.Testing;

/// <summary>The server ended a raw hub connection: with a close message (<see cref="Error"/> its reason, if any) or by closing the socket.</summary>
public sealed class HubClosedException(string? error, Exception? innerException = null)
    : IOException("The server closed the connection" + (error is null ? "." : ": " + error), innerException)
{
    public string? Error { get; } = error;
}
