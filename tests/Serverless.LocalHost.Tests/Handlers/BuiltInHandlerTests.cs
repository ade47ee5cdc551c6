using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Handlers;

[Collection(StackCollection.Name)]
public sealed class BuiltInHandlerTests(LocalStackFixture stack)
{
    [Fact]
    public async Task ProcessData_RunsFiveStagesWithBatchProgress_CollectsInvalidRecordsWithoutFailing()
    {
        await using HubClient client = await stack.Host.ConnectAsync("data-user");

        JobMessage accepted = await client.SubmitAsync("data-1", "process_data", new { records = 3000, invalidPercent = 5, batchSize = 300, paceMs = 20 });
        IReadOnlyList<JobMessage> messages = await client.WaitForTerminalAsync(accepted.JobId!, TimeSpan.FromSeconds(90));

        // Stage starts are the progress messages without a coalesced count.
        Assert.Equal(["load", "validate", "transform", "aggregate", "export"], messages.Where(m => m.Type == MessageTypes.Progress && m.Coalesced is null).Select(m => m.Stage!));
        Assert.Contains(messages, m => m.Message?.Contains("of 3000 records", StringComparison.Ordinal) == true);
        JobMessage transformed = messages.Last(m => m.Stage == "transform" && m.Coalesced is not null);
        // The handler's metadata: the last batch's counts, which the stage's last progress message carries.
        Assert.Equal(transformed.Metadata!.Value.GetProperty("recordsTotal").GetInt32(), transformed.Metadata!.Value.GetProperty("recordsProcessed").GetInt32());
        Assert.InRange(transformed.Metadata!.Value.GetProperty("recordsKept").GetInt32(), 2700, 3000);
        JsonElement result = messages[^1].Result!.Value;
        Assert.Equal(MessageTypes.Completed, messages[^1].Type);
        int invalid = result.GetProperty("invalid").GetInt32();
        Assert.Equal(3000, result.GetProperty("records").GetInt32());
        Assert.Equal(3000 - invalid, result.GetProperty("valid").GetInt32());
        Assert.InRange(invalid, 90, 210); // about 5 %
        Assert.Equal(Math.Min(invalid, 20), result.GetProperty("sampleIssues").GetArrayLength());
        Assert.Equal(6, result.GetProperty("products").GetArrayLength());
        Assert.Equal(10, result.GetProperty("topTerms").GetArrayLength());
        Assert.True(result.GetProperty("ratingSentimentCorrelation").GetDouble() > 0.2, "ratings and sentiment should correlate");
    }

    [Fact]
    public async Task Result_ExportsAsJsonCsvAndHtml_AndRefusesFormatsTheResultLacks()
    {
        using HttpClient http = stack.Host.CreateHttpClient("export-user");
        string report = await CompleteAsync(http, "export-report", "generate_report", new { months = 3, paceMs = 0, title = "Export" });
        string data = await CompleteAsync(http, "export-data", "process_data", new { records = 200 });

        HttpResponseMessage json = await http.GetAsync($"/api/jobs/{report}/result?format=json");
        HttpResponseMessage csv = await http.GetAsync($"/api/jobs/{report}/result?format=csv");
        HttpResponseMessage html = await http.GetAsync($"/api/jobs/{report}/result?format=html");
        HttpResponseMessage dataCsv = await http.GetAsync($"/api/jobs/{data}/result?format=csv");
        HttpResponseMessage dataHtml = await http.GetAsync($"/api/jobs/{data}/result?format=html");

        Assert.Equal("Export", JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(4, (await csv.Content.ReadAsStringAsync()).Trim().Split('\n').Length);
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<!doctype html>", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("product,reviews,", await dataCsv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, dataHtml.StatusCode);
        Assert.Contains("json, csv", (await dataHtml.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeResult_IsKeptInBlobStorage_AndReturnedTransparently()
    {
        using HttpClient http = stack.Host.CreateHttpClient("large-user");
        const int size = 300_000;

        string jobId = await CompleteAsync(http, "large-1", "simulate", new { durationMs = 50, updates = 1, resultBytes = size });

        JobView view = (await http.GetFromJsonAsync($"/api/jobs/{jobId}", ProtocolJson.Default.JobView))!;
        JobMessage[] events = (await http.GetFromJsonAsync($"/api/jobs/{jobId}/events", ProtocolJson.Default.JobMessageArray))!;
        Assert.Equal(size, view.Result!.Value.GetProperty("filler").GetString()!.Length);
        Assert.Equal(size, events[^1].Result!.Value.GetProperty("filler").GetString()!.Length);

        var table = new TableClient(stack.Azurite.ConnectionString, stack.Host.JobsTable);
        TableEntity state = (await table.GetEntityAsync<TableEntity>(jobId, "state")).Value;
        Assert.Null(state.GetString("Result"));
        Assert.NotNull(state.GetString("ResultBlob"));
    }

    private static async Task<string> CompleteAsync(HttpClient http, string requestId, string action, object payload)
    {
        HttpResponseMessage created = await http.PostAsJsonAsync("/api/jobs", new { requestId, action, payload });
        string jobId = (await created.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.JobId!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await http.GetFromJsonAsync($"/api/jobs/{jobId}", ProtocolJson.Default.JobView, timeout.Token))!.Status != JobStatus.Completed)
        {
            await Task.Delay(100, timeout.Token);
        }

        return jobId;
    }
}
