using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests;

/// <summary><c>GET /api/stats/history</c> on the local host.</summary>
[Collection(StackCollection.Name)]
public sealed class HistoryTests(LocalStackFixture stack)
{
    [Fact]
    public async Task History_SyncRequests_ShowInTheCurrentMinute()
    {
        using HttpClient http = stack.Host.CreateHttpClient("history-user");

        await HistoryView.AssertRequestsShowInTheCurrentMinuteAsync(http, "history");
    }

    [Fact]
    public async Task History_BadQueries_AnswerValidationError()
    {
        using HttpClient http = stack.Host.CreateHttpClient(null);

        await HistoryView.AssertBadQueriesAreRefusedAsync(http);
    }
}
