namespace Serverless.Core.SignalRService;

/// <summary>One upstream call from Azure SignalR Service, as the host read it from the HTTP request.</summary>
public sealed record UpstreamRequest
{
    /// <summary>From the URL template's <c>{hub}</c>.</summary>
    public required string Hub { get; init; }

    /// <summary><c>connections</c> or <c>messages</c>, from <c>{category}</c>.</summary>
    public required string Category { get; init; }

    /// <summary><c>connected</c> / <c>disconnected</c>, or the invoked target, from <c>{event}</c>.</summary>
    public required string Event { get; init; }

    /// <summary>The <c>X-ASRS-Connection-Id</c> header.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>The <c>X-ASRS-User-Id</c> header: the <c>nameid</c> negotiate put in the client's token.</summary>
    public string? UserId { get; init; }

    /// <summary>The <c>X-ASRS-Signature</c> header.</summary>
    public string? Signature { get; init; }

    public ReadOnlyMemory<byte> Body { get; init; }
}
