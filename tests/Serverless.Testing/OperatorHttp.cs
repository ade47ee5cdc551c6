using System.Net;
using System.Net.Http.Json;
using System.Text;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>The operators' HTTP routes as both hosts serve them, and how their tests read the answers.</summary>
public static class OperatorHttp
{
    /// <summary>Every operator route (relative to the app's base address) with its method.</summary>
    public static IReadOnlyList<(HttpMethod Method, string Path)> Routes { get; } =
    [
        (HttpMethod.Get, "api/operators/controls"),
        (HttpMethod.Get, "api/operators/jobs"),
        (HttpMethod.Post, "api/operators/jobs/j0000000000000000000000000000000/cancel"),
        (HttpMethod.Post, "api/operators/actions/echo/pause"),
        (HttpMethod.Post, "api/operators/actions/echo/resume"),
        (HttpMethod.Post, "api/operators/push-circuit"),
    ];

    /// <summary>A request to <paramref name="path"/>; a POST carries an empty JSON object.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path) =>
        new(method, new Uri(path, UriKind.Relative)) { Content = method == HttpMethod.Post ? new StringContent("{}", Encoding.UTF8, "application/json") : null };

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
    }

    /// <summary>The controls in force from a control's 200 answer (which it disposes).</summary>
    public static async Task<OperatorControlsView> ControlsOfAsync(HttpResponseMessage reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        using (reply)
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            return (await reply.Content.ReadFromJsonAsync(ProtocolJson.Default.OperatorControlsView))!;
        }
    }

    /// <summary>The typed error of a refused request.</summary>
    public static async Task<JobError> ErrorOfAsync(HttpResponseMessage reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return (await reply.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!;
    }
}
