using Serverless.Core;
using Serverless.Core.Diagnostics;
using Serverless.Core.Events;
using Serverless.Core.History;
using Serverless.Core.Retention;
using Serverless.LocalHost.Apis;
using Serverless.LocalHost.Durable;
using Serverless.LocalHost.Hubs;
using Serverless.LocalHost.Security;
using Serverless.LocalHost.Storage;

namespace Serverless.LocalHost;

/// <summary>Composes the local host: Azurite, the Durable Task backend, the SignalR hub and the HTTP API.</summary>
internal static class LocalHostApp
{
    /// <summary>Builds the app; <paramref name="configure"/> lets tests and tools override settings before the build.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Static files (the dashboard) are served from the build output, where the build puts the SignalR
        // browser client too, so the page works however the host is started (dotnet run, the dll, publish).
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        configure?.Invoke(builder);

        // Order matters: hosted services start in registration order, and each needs the one before it.
        builder.Services.AddAzurite();
        builder.Services.AddJobRouter();
        builder.Services.AddEventStream();
        builder.Services.AddJobHistory();
        builder.Services.AddDurableBackend();
        builder.Services.AddScheduledJobRetention();
        builder.Services.AddLocalAuthentication();
        builder.Services.AddJobHub();
        builder.Services.AddDashboard();
        builder.Services.AddServerlessTelemetry(builder.Configuration, "serverless-localhost");

        WebApplication app = builder.Build();

        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<DevelopmentTokenGate>().Announce());
        app.UseSecurityHeaders();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJobsApi();
        app.MapOperationsApi();
        app.MapOperatorApi();
        app.MapOperatorRetryApi();
        app.MapJobHub();
        return app;
    }
}
