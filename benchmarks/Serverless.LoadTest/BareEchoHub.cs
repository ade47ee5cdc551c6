using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace Serverless.LoadTest;

/// <summary>The baseline: a bare ASP.NET Core SignalR hub that echoes its argument, with the same JSON protocol settings.</summary>
internal static class BareEchoHub
{
    public static async Task<int> RunAsync(int port)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR().AddJsonProtocol();
        WebApplication app = builder.Build();
        app.MapHub<EchoHub>("/hubs/jobs");
        await app.RunAsync();
        return 0;
    }

    private sealed class EchoHub : Hub
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "SignalR invokes instance methods only.")]
        public JsonElement Submit(JsonElement request) => request;
    }
}
