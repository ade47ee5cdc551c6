namespace Serverless.Core.Endpoints.AzureSignalR;

/// <summary>The request headers Azure SignalR Service sets on upstream calls.</summary>
internal static class UpstreamHeaders
{
    public const string ConnectionId = "X-ASRS-Connection-Id";
    public const string Hub = "X-ASRS-Hub";
    public const string Category = "X-ASRS-Category";
    public const string Event = "X-ASRS-Event";
    public const string Signature = "X-ASRS-Signature";
    public const string UserId = "X-ASRS-User-Id";
    public const string UserClaims = "X-ASRS-User-Claims";
}
