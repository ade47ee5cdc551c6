using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Serverless.Testing;

/// <summary>
/// An HTTP front door over several app instances, as a load balancer in front of a scaled-out Functions app: each
/// request goes to the next instance in turn; an instance that refuses the connection (killed) is skipped, so the
/// request reaches a live one. Requests are buffered, so one that never reached an instance can be sent to the next.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Host",
    };

    private readonly Uri[] _backends;
    private readonly HttpClient _http;
    private readonly WebApplication _app;
    private readonly int[] _served;
    private int _next = -1;

    private RoundRobinProxy(WebApplication app, Uri[] backends)
    {
        _app = app;
        _backends = backends;
        _served = new int[backends.Length];
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    public int Port { get; private set; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>How many requests each backend answered, in the order given.</summary>
    public IReadOnlyList<int> Served => [.. _served];

    /// <summary>Starts listening on a port of the OS's choosing in front of <paramref name="backendPorts"/> on loopback.</summary>
    public static async Task<RoundRobinProxy> StartAsync(IReadOnlyList<int> backendPorts)
    {
        ArgumentNullException.ThrowIfNull(backendPorts);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var proxy = new RoundRobinProxy(app, [.. backendPorts.Select(p => new Uri($"http://127.0.0.1:{p}"))]);
        app.Run(proxy.ForwardAsync);
        await app.StartAsync().ConfigureAwait(false);
        proxy.Port = new Uri(app.Urls.First()).Port;
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        int first = Interlocked.Increment(ref _next);
        for (int i = 0; i < _backends.Length; i++)
        {
            int index = (int)((uint)(first + i) % (uint)_backends.Length);
            using HttpRequestMessage request = CopyRequest(context.Request, _backends[index], body.ToArray());
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                continue; // this instance is down and never saw the request: the next one gets it
            }

            using (response)
            {
                Interlocked.Increment(ref _served[index]);
                await CopyResponseAsync(response, context).ConfigureAwait(false);
                return;
            }
        }

        context.Response.StatusCode = StatusCodes.Status502BadGateway;
    }

    private static HttpRequestMessage CopyRequest(HttpRequest inbound, Uri backend, byte[] body)
    {
        var request = new HttpRequestMessage(new HttpMethod(inbound.Method), new Uri(backend, inbound.Path + inbound.QueryString));
        if (body.Length > 0 || inbound.ContentLength is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in inbound.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        return request;
    }

    private static async Task CopyResponseAsync(HttpResponseMessage response, HttpContext context)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach ((string name, IEnumerable<string> values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
