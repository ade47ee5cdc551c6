using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Serverless.Testing;

/// <summary>What an operator reads from <c>GET /api/stats/history</c>, checked the same way on every host.</summary>
public static class HistoryView
{
    /// <summary>
    /// Answers two sync requests of <paramref name="action"/> (an echo-like action), then expects them in the current
    /// minute, both summed over all actions and for that action alone, with a duration percentile.
    /// </summary>
    public static async Task AssertRequestsShowInTheCurrentMinuteAsync(HttpClient http, string requestIdPrefix)
    {
        ArgumentNullException.ThrowIfNull(http);
        DateTimeOffset before = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (int i = 0; i < 2; i++)
        {
            HttpResponseMessage answered = await http.PostAsJsonAsync(
                new Uri("api/jobs", UriKind.Relative), new { requestId = $"{requestIdPrefix}-{i}", action = "echo", payload = new { i } }).ConfigureAwait(false);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        string range = $"from={Uri.EscapeDataString(before.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}";
        JsonElement all = await GetAsync(http, $"api/stats/history?{range}").ConfigureAwait(false);
        JsonElement echo = await GetAsync(http, $"api/stats/history?{range}&action=echo").ConfigureAwait(false);

        Assert.True(all.EnumerateArray().All(p => p.GetProperty("action").GetString() == "*"), all.GetRawText());
        Assert.True(all.EnumerateArray().Sum(p => p.GetProperty("submitted").GetInt64()) >= 2, all.GetRawText());
        JsonElement[] echoPoints = [.. echo.EnumerateArray()];
        Assert.True(echoPoints.Length > 0 && echoPoints.All(p => p.GetProperty("action").GetString() == "echo"), echo.GetRawText());
        Assert.True(echoPoints.Sum(p => p.GetProperty("submitted").GetInt64()) >= 2, echo.GetRawText());
        Assert.Contains(echoPoints, p => p.TryGetProperty("durationP95Ms", out JsonElement p95) && p95.GetDouble() > 0);
    }

    /// <summary>Each malformed query answers 400 VALIDATION_ERROR.</summary>
    public static async Task AssertBadQueriesAreRefusedAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        string[] queries =
        [
            "from=yesterday",
            "from=2026-11-30T10:00:00Z&to=2026-11-30T09:00:00Z",
            "from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z",
            "step=0",
            "step=61",
            "step=one",
            "action=not%20an%20action",
        ];
        foreach (string query in queries)
        {
            HttpResponseMessage response = await http.GetAsync(new Uri($"api/stats/history?{query}", UriKind.Relative)).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode} {body}");
            Assert.Contains("\"VALIDATION_ERROR\"", body, StringComparison.Ordinal);
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        HttpResponseMessage response = await http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
