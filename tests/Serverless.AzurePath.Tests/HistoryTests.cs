using Serverless.Testing;

namespace Serverless.AzurePath.Tests;

/// <summary><c>GET /api/stats/history</c> on the Functions app, as on the local host.</summary>
[Collection(AzurePathCollection.Name)]
public sealed class HistoryTests(AzurePathFixture fixture)
{
    [Fact]
    public async Task History_SyncRequests_ShowInTheCurrentMinute()
    {
        using HttpClient http = fixture.Stack.CreateHttpClient("history-user");

        await HistoryView.AssertRequestsShowInTheCurrentMinuteAsync(http, "history");
    }

    [Fact]
    public async Task History_BadQueries_AnswerValidationError()
    {
        using HttpClient http = fixture.Stack.CreateHttpClient(null);

        await HistoryView.AssertBadQueriesAreRefusedAsync(http);
    }
}
