using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Serverless.Functions.Tests.Infrastructure;

/// <summary>A local stand-in for the Azure SignalR Service data plane: records every request and answers as told.</summary>
internal sealed class FakeSignalRService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private FakeSignalRService(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The answer to the n-th request (0-based): status code and optional Retry-After seconds.</summary>
    public Func<int, (int Status, int? RetryAfterSeconds)> Respond { get; set; } = _ => (202, null);

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeSignalRService> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var fake = new FakeSignalRService(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Urls.Single().TrimEnd('/');
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        int index = Interlocked.Increment(ref _count) - 1;
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            context.Request.Path.Value ?? "",
            context.Request.Query["api-version"].ToString(),
            context.Request.Headers.Authorization.ToString(),
            context.Request.ContentType,
            body.ToArray(),
            DateTimeOffset.UtcNow));
        (int status, int? retryAfter) = Respond(index);
        context.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request as sent (<see cref="RawTarget"/>) and as Kestrel decoded its path (<see cref="DecodedPath"/>).</summary>
internal sealed record RecordedRequest(string Method, string RawTarget, string DecodedPath, string ApiVersion, string Authorization, string? ContentType, byte[] Body, DateTimeOffset At)
{
    public string PathOnly => RawTarget.Split('?')[0];
}
