namespace Serverless.Client;

/// <summary>The answer of <c>POST /api/negotiate</c>: where the hub is and the token to present there.</summary>
internal sealed record NegotiateReply(string Url, string AccessToken);
