using System.Net.Http.Headers;
using System.Text.Json;

namespace Serverless.Testing;

/// <summary>Where a client connects, as an app's negotiate endpoint answers it: the hub URL and the token to connect with.</summary>
public sealed record HubNegotiation(Uri Url, string AccessToken)
{
    /// <summary>POSTs <paramref name="route"/> on the app with <paramref name="appToken"/> as the bearer token.</summary>
    public static async Task<HubNegotiation> RequestAsync(Uri appBaseAddress, string appToken, string route = "api/negotiate", CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = appBaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, route);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", appToken);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"negotiate answered {(int)response.StatusCode}: {body}");
        }

        using JsonDocument reply = JsonDocument.Parse(body);
        return new HubNegotiation(
            new Uri(reply.RootElement.GetProperty("url").GetString()!),
            reply.RootElement.GetProperty("accessToken").GetString()!);
    }
}
