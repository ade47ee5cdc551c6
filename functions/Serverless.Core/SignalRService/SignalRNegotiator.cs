using System.Text.Json;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Serverless.Core.Api;
using Serverless.Core.Protocol;
using Serverless.Core.Security;

namespace Serverless.Core.SignalRService;

/// <summary>
/// <c>POST /api/negotiate</c> for serverless Azure SignalR Service: tells an authenticated caller where to connect
/// (<c>{endpoint}/client/?hub={hub}</c>) and with which token (<c>aud</c> = that URL, <c>nameid</c> = the caller's owner id).
/// </summary>
public sealed partial class SignalRNegotiator
{
    private readonly SignalRConnectionString _connection;
    private readonly SignalRAccessTokens _tokens;
    private readonly SignalRRestClient _rest;
    private readonly TimeSpan _lifetime;
    private readonly ILogger<SignalRNegotiator> _logger;

    internal SignalRNegotiator(
        SignalRConnectionString connection,
        SignalRAccessTokens tokens,
        SignalRRestClient rest,
        IOptions<SignalRServiceOptions> options,
        ILogger<SignalRNegotiator> logger)
    {
        _connection = connection;
        _tokens = tokens;
        _rest = rest;
        _lifetime = options.Value.ClientTokenLifetime;
        _logger = logger;
        ClientUrl = $"{connection.BaseUrl}/client/?hub={Uri.EscapeDataString(options.Value.HubName)}";
    }

    /// <summary>The URL clients connect to; also the <c>aud</c> of their tokens.</summary>
    public string ClientUrl { get; }

    /// <summary>200 with <c>{url, accessToken}</c>, or 503 when managed identity cannot get a token.</summary>
    public async Task<ApiResponse> NegotiateAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        string accessToken;
        try
        {
            accessToken = _connection.UsesManagedIdentity
                ? await _rest.GenerateClientTokenAsync(caller.OwnerId, _lifetime, cancellationToken).ConfigureAwait(false)
                : _tokens.CreateClientToken(ClientUrl, caller.OwnerId, _lifetime);
        }
        catch (Exception ex) when (ex is SignalRServiceException or BrokenCircuitException or AuthenticationFailedException)
        {
            Log.TokenFailed(_logger, ex);
            return JobApi.Error(JobError.Unavailable("Azure SignalR Service could not issue a client token; retry shortly.") with { RetryAfterMs = 2000 });
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("url", ClientUrl);
            writer.WriteString("accessToken", accessToken);
            writer.WriteEndObject();
        }

        return new ApiResponse(200, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not get an Azure SignalR Service client token through managed identity")]
        public static partial void TokenFailed(ILogger logger, Exception exception);
    }
}
