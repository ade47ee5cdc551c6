using Microsoft.AspNetCore.Authentication.JwtBearer;
using Serverless.Core.Security;
using Serverless.LocalHost.Hubs;

namespace Serverless.LocalHost.Security;

internal static class LocalAuthentication
{
    /// <summary>Bearer tokens checked by the core's <see cref="TokenService"/> rules; SignalR may pass them as <c>access_token</c>.</summary>
    public static IServiceCollection AddLocalAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenService>((options, tokens) =>
            {
                options.MapInboundClaims = false;
                // The core's parameters and metadata manager: the same keys, issuers and refresh as the Functions app.
                options.TokenValidationParameters = tokens.CreateValidationParameters();
                options.ConfigurationManager = tokens.Metadata;

                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        // WebSockets cannot carry an Authorization header from browsers.
                        if ((context.HttpContext.Request.Path.StartsWithSegments(HubServiceCollectionExtensions.HubPath)
                                || context.HttpContext.Request.Path.StartsWithSegments(HubServiceCollectionExtensions.OperatorHubPath))
                            && context.Request.Query["access_token"] is { Count: > 0 } token)
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                    OnTokenValidated = context =>
                    {
                        // A valid signature is not enough: no anonymous jobs, so the token must name a user.
                        if (!TokenService.HasStringIds(context.SecurityToken) || TokenService.FromClaims(context.Principal?.Claims ?? []) is null)
                        {
                            context.Fail("The token names no valid user (sub, nameid or oid: a string id), or an invalid tenant.");
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        services.AddAuthorization();
        services.AddSingleton<DevelopmentTokenGate>();
        return services;
    }
}
