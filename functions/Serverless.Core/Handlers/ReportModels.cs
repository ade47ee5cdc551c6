namespace Serverless.Core.Handlers;

/// <summary>One month of one product's sales in one region.</summary>
internal sealed record SalesRow(string Month, string Region, string Product, int Units, decimal Revenue);

/// <summary>A total under a key (region, month or product).</summary>
internal sealed record ReportTotal(string Key, int Units, decimal Revenue);

/// <summary>What the analyze stage computes from the sales rows.</summary>
internal sealed record ReportAnalysis(
    decimal TotalRevenue,
    int TotalUnits,
    ReportTotal[] ByRegion,
    ReportTotal[] ByMonth,
    ReportTotal[] ByProduct,
    string TopRegion,
    string BestMonth,
    decimal AverageMonthlyGrowthPercent);

/// <summary>The analysis with its CSV and HTML renderings.</summary>
internal sealed record RenderedReport(ReportAnalysis Analysis, string Csv, string Html);

/// <summary>The <c>generate_report</c> result: JSON summary plus CSV and HTML exports.</summary>
internal sealed record Report(
    string Title,
    DateTimeOffset GeneratedAt,
    int Rows,
    ReportAnalysis Summary,
    string Csv,
    string Html,
    string Sha256);
