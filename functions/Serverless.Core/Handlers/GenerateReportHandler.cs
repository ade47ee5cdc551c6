using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Serverless.Core.Handlers;

/// <summary>
/// <c>generate_report</c> (async, 4 stages): builds a sales report from a deterministic data set.
/// Payload: <c>title</c>, <c>months</c> (1–36, default 12), <c>regions</c> (1–8, default 4), <c>seed</c>,
/// <c>paceMs</c> (pause per work chunk so progress can be watched, default 50).
/// </summary>
internal sealed class GenerateReportHandler : IJobHandler
{
    private static readonly string[] RegionNames = ["north", "south", "east", "west", "central", "coastal", "mountain", "islands"];
    private static readonly string[] Products = ["basic", "standard", "premium"];
    private static readonly decimal[] UnitPrices = [9.90m, 24.50m, 79.00m];

    public string Action => "generate_report";

    public TimeSpan EstimatedDuration => TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> GetStages(JsonElement payload) => ["collect", "analyze", "render", "publish"];

    public void ValidatePayload(JsonElement payload) => ReportSpec.Read(payload);

    public async ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken)
    {
        ReportSpec spec = ReportSpec.Read(context.Payload);
        object output = context.StageIndex switch
        {
            0 => await CollectAsync(spec, context, cancellationToken).ConfigureAwait(false),
            1 => Analyze(Previous(context, HandlerJson.Default.SalesRowArray)),
            2 => Render(Previous(context, HandlerJson.Default.ReportAnalysis)),
            _ => Publish(spec, Previous(context, HandlerJson.Default.RenderedReport), context.TimeProvider),
        };

        context.Progress.Report(100, $"{context.StageName} done");
        return output switch
        {
            SalesRow[] rows => JsonSerializer.SerializeToElement(rows, HandlerJson.Default.SalesRowArray),
            ReportAnalysis analysis => JsonSerializer.SerializeToElement(analysis, HandlerJson.Default.ReportAnalysis),
            RenderedReport rendered => JsonSerializer.SerializeToElement(rendered, HandlerJson.Default.RenderedReport),
            Report report => JsonSerializer.SerializeToElement(report, HandlerJson.Default.Report),
            _ => throw new InvalidOperationException("Unexpected stage output."),
        };
    }

    private static T Previous<T>(StageContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        context.PreviousOutput is { } previous
            ? previous.Deserialize(typeInfo) ?? throw new InvalidOperationException("The previous stage returned nothing.")
            : throw new InvalidOperationException($"Stage '{context.StageName}' needs the previous stage's output.");

    private static async Task<SalesRow[]> CollectAsync(ReportSpec spec, StageContext context, CancellationToken cancellationToken)
    {
        var random = new Random(spec.Seed);
        var rows = new List<SalesRow>(spec.Months * spec.Regions * Products.Length);
        var start = new DateOnly(2026, 1, 1);
        for (int m = 0; m < spec.Months; m++)
        {
            string month = start.AddMonths(m).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            for (int r = 0; r < spec.Regions; r++)
            {
                for (int p = 0; p < Products.Length; p++)
                {
                    // A seasonal curve plus regional scale and noise: deterministic for a given seed.
                    double season = 1 + 0.25 * Math.Sin(2 * Math.PI * m / 12);
                    int units = (int)((40 + 15 * r + 10 * p) * season * (0.8 + 0.4 * random.NextDouble()) * (1 + 0.02 * m));
                    rows.Add(new SalesRow(month, RegionNames[r], Products[p], units, units * UnitPrices[p]));
                }
            }

            context.Progress.Report(
                100.0 * (m + 1) / spec.Months,
                $"collected {month}",
                JsonSerializer.SerializeToElement(new CollectProgress(month, rows.Count), HandlerJson.Default.CollectProgress));
            await Pace(spec, context, cancellationToken).ConfigureAwait(false);
        }

        return [.. rows];
    }

    private static ReportAnalysis Analyze(SalesRow[] rows)
    {
        static ReportTotal[] Totals(IEnumerable<IGrouping<string, SalesRow>> groups) =>
            [.. groups.Select(g => new ReportTotal(g.Key, g.Sum(r => r.Units), g.Sum(r => r.Revenue)))];

        ReportTotal[] byRegion = Totals(rows.GroupBy(r => r.Region));
        ReportTotal[] byMonth = Totals(rows.GroupBy(r => r.Month).OrderBy(g => g.Key, StringComparer.Ordinal));
        ReportTotal[] byProduct = Totals(rows.GroupBy(r => r.Product));

        decimal growth = 0;
        if (byMonth.Length > 1)
        {
            growth = Enumerable.Range(1, byMonth.Length - 1)
                .Average(i => (byMonth[i].Revenue - byMonth[i - 1].Revenue) / byMonth[i - 1].Revenue * 100);
        }

        return new ReportAnalysis(
            rows.Sum(r => r.Revenue),
            rows.Sum(r => r.Units),
            byRegion,
            byMonth,
            byProduct,
            byRegion.MaxBy(t => t.Revenue)!.Key,
            byMonth.MaxBy(t => t.Revenue)!.Key,
            Math.Round(growth, 2));
    }

    private static RenderedReport Render(ReportAnalysis analysis)
    {
        var csv = new StringBuilder("month,units,revenue\n");
        var html = new StringBuilder("<table><thead><tr><th>Month</th><th>Units</th><th>Revenue</th></tr></thead><tbody>");
        foreach (ReportTotal month in analysis.ByMonth)
        {
            string revenue = month.Revenue.ToString("0.00", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{month.Key},{month.Units},{revenue}\n");
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(month.Key)}</td><td>{month.Units}</td><td>{revenue}</td></tr>");
        }

        html.Append("</tbody></table>");
        return new RenderedReport(analysis, csv.ToString(), html.ToString());
    }

    private static Report Publish(ReportSpec spec, RenderedReport rendered, TimeProvider timeProvider)
    {
        string title = WebUtility.HtmlEncode(spec.Title);
        string html = $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1>{rendered.Html}</body></html>";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rendered.Csv)));
        int rows = spec.Months * spec.Regions * Products.Length;
        return new Report(spec.Title, timeProvider.GetUtcNow(), rows, rendered.Analysis, rendered.Csv, html, hash);
    }

    private static Task Pace(ReportSpec spec, StageContext context, CancellationToken cancellationToken) =>
        spec.PaceMs == 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(spec.PaceMs), context.TimeProvider, cancellationToken);

    private sealed record ReportSpec(string Title, int Months, int Regions, int Seed, int PaceMs)
    {
        public static ReportSpec Read(JsonElement payload)
        {
            PayloadReader.RequireObjectOrEmpty(payload);
            return new ReportSpec(
                PayloadReader.GetString(payload, "title", "Sales report", 200),
                PayloadReader.GetInt32(payload, "months", 12, 1, 36),
                PayloadReader.GetInt32(payload, "regions", 4, 1, RegionNames.Length),
                PayloadReader.GetInt32(payload, "seed", 42, int.MinValue, int.MaxValue),
                PayloadReader.GetInt32(payload, "paceMs", 50, 0, 10_000));
        }
    }
}
