using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Serverless.Core;
using Serverless.Core.Operators;
using Serverless.Core.Security;
using Serverless.LocalHost.Notifications;
using Serverless.Protocol;
using Serverless.Protocol.MessagePack;

namespace Serverless.LocalHost.Hubs;

internal static class HubServiceCollectionExtensions
{
    /// <summary>The path clients connect to.</summary>
    public const string HubPath = "/hubs/jobs";

    /// <summary>The path of the operators' feed.</summary>
    public const string OperatorHubPath = "/hubs/operators";

    /// <summary>The authorization policy of the operators' feed: <see cref="OperatorAccess.IsOperator"/>.</summary>
    public const string OperatorPolicy = "operator";

    public static IServiceCollection AddJobHub(this IServiceCollection services)
    {
        services.AddSignalR(options =>
            {
                // Above the payload cap, so an oversized payload gets a typed PAYLOAD_TOO_LARGE instead of a dropped connection.
                options.MaximumReceiveMessageSize = ProtocolLimits.MaxHubMessageBytes;
            })
            .AddJsonProtocol(options =>
            {
                options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ProtocolJson.Default);
                options.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
                // Deeper than the protocol limit, so the router (not the transport) refuses deep requests with a typed error.
                options.PayloadSerializerOptions.MaxDepth = ProtocolLimits.MaxJsonDepth * 8;
            })
            .AddMessagePackProtocol(ProtocolMessagePack.Configure);
        services.AddSingleton<IUserIdProvider, OwnerUserIdProvider>();
        services.AddOptions<HubOptions>().BindConfiguration(HubOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConnectionLimiter>();
        services.AddClientNotifier<HubClientNotifier>();
        services.AddOperatorFeed<HubOperatorFeedSender>();
        services.AddAuthorizationBuilder().AddPolicy(OperatorPolicy, policy =>
            policy.RequireAuthenticatedUser().RequireAssertion(context => OperatorAccess.IsOperator(context.User.Claims)));
        return services;
    }

    public static IEndpointRouteBuilder MapJobHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<JobHub>(HubPath);
        endpoints.MapHub<OperatorHub>(OperatorHubPath);
        return endpoints;
    }
}

/// <summary>Maps a connection to its job owner, so pushes to a user reach all of that owner's connections.</summary>
internal sealed class OwnerUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        TokenService.FromClaims(connection.User?.Claims ?? [])?.OwnerId;
}
