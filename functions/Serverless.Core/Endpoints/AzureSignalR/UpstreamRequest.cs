namespace Serverless.Core.Endpoints.AzureSignalR;

/// <summary>One upstream call from Azure SignalR Service, as the host read it from the HTTP request.</summary>
internal sealed record UpstreamRequest
{
    /// <summary>The <c>X-ASRS-Hub</c> header (the service sends hub names lower-cased), else the URL template's <c>{hub}</c>.</summary>
    public required string Hub { get; init; }

    /// <summary><c>connections</c> or <c>messages</c>: the <c>X-ASRS-Category</c> header, else <c>{category}</c>.</summary>
    public required string Category { get; init; }

    /// <summary><c>connected</c> / <c>disconnected</c>, or the invoked target: the <c>X-ASRS-Event</c> header, else <c>{event}</c>.</summary>
    public required string Event { get; init; }

    /// <summary>The <c>X-ASRS-Connection-Id</c> header.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>The <c>X-ASRS-User-Id</c> header: the <c>nameid</c> negotiate put in the client's token.</summary>
    public string? UserId { get; init; }

    /// <summary>The <c>X-ASRS-User-Claims</c> header: the claims of the connection's token, as <c>type: value</c> entries.</summary>
    public string? UserClaims { get; init; }

    /// <summary>The <c>X-ASRS-Signature</c> header.</summary>
    public string? Signature { get; init; }

    /// <summary>The body's <c>Content-Type</c>: <c>application/json</c> for JSON clients, <c>application/x-msgpack</c> for MessagePack ones.</summary>
    public string? ContentType { get; init; }

    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>
    /// The call as the service describes it: hub, category and event from the <c>X-ASRS-*</c> headers, which the
    /// service always sets, with the URL template's route values only as a fallback.
    /// </summary>
    public static UpstreamRequest From(
        Func<string, string?> header,
        string? routeHub,
        string? routeCategory,
        string? routeEvent,
        string? contentType,
        ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new UpstreamRequest
        {
            Hub = FirstOf(header(UpstreamHeaders.Hub), routeHub),
            Category = FirstOf(header(UpstreamHeaders.Category), routeCategory),
            Event = FirstOf(header(UpstreamHeaders.Event), routeEvent),
            ConnectionId = header(UpstreamHeaders.ConnectionId),
            UserId = header(UpstreamHeaders.UserId),
            UserClaims = header(UpstreamHeaders.UserClaims),
            Signature = header(UpstreamHeaders.Signature),
            ContentType = contentType,
            Body = body,
        };
    }

    private static string FirstOf(string? header, string? route) =>
        !string.IsNullOrWhiteSpace(header) ? header.Trim() : route?.Trim() ?? "";
}
