using Microsoft.Extensions.Options;
using Serverless.Core.Endpoints.Http;

namespace Serverless.LocalHost.Security;

internal static class SecurityHeadersMiddleware
{
    /// <summary>Core's <see cref="SecurityHeaders"/> on every answer: API ones under <c>/api</c> and <c>/hubs</c>, page ones elsewhere.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        string[] connectOrigins = [.. app.ApplicationServices.GetRequiredService<IOptions<DashboardOptions>>().Value.ConnectSources()];
        return app.Use((context, next) =>
        {
            HttpResponse response = context.Response;
            response.OnStarting(() =>
            {
                bool api = context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs");
                foreach ((string name, string value) in api ? SecurityHeaders.ForApi(response.ContentType ?? "") : SecurityHeaders.ForPage(connectOrigins))
                {
                    response.Headers[name] = value;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>The dashboard's settings (<see cref="DashboardOptions"/>), validated at start.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
