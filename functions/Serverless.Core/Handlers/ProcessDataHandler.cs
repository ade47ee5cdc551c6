using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Serverless.Core.Handlers;

/// <summary>
/// <c>process_data</c> (async, 5 stages: load, validate, transform, aggregate, export) over a generated data set
/// of product reviews: per-record validation (issues collected, not fatal), lexicon sentiment, per-product rating
/// statistics, top terms. Payload: <c>records</c> (10–20000, default 2000), <c>seed</c> (7), <c>invalidPercent</c>
/// (0–50, default 2), <c>batchSize</c> (10–5000, default 250), <c>paceMs</c> per batch (0–5000, default 0).
/// </summary>
internal sealed class ProcessDataHandler : IJobHandler
{
    private const int SampleIssueCount = 20;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal) { "the", "it", "after", "use" };

    public string Action => "process_data";

    public TimeSpan EstimatedDuration => TimeSpan.FromSeconds(20);

    public IReadOnlyList<string> GetStages(JsonElement payload) => ["load", "validate", "transform", "aggregate", "export"];

    public void ValidatePayload(JsonElement payload) => Spec.Read(payload);

    public async ValueTask<JsonElement?> RunStageAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        Spec spec = Spec.Read(context.Payload);
        return context.StageIndex switch
        {
            0 => Json(await BatchedAsync(ReviewDataSet.Generate(spec.Records, spec.Seed, spec.InvalidPercent).ToArray(), spec, context, r => r, cancellationToken).ConfigureAwait(false), HandlerJson.Default.ReviewRecordArray),
            1 => Json(await ValidateAsync(Previous(context, HandlerJson.Default.ReviewRecordArray), spec, context, cancellationToken).ConfigureAwait(false), HandlerJson.Default.ValidatedReviews),
            2 => Json(await TransformAsync(Previous(context, HandlerJson.Default.ValidatedReviews), spec, context, cancellationToken).ConfigureAwait(false), HandlerJson.Default.TransformedReviews),
            3 => Json(Aggregate(Previous(context, HandlerJson.Default.TransformedReviews), spec.Records, context), HandlerJson.Default.ReviewAggregates),
            _ => Json(Export(Previous(context, HandlerJson.Default.ReviewAggregates), context), HandlerJson.Default.ProcessDataResult),
        };
    }

    private static async Task<ValidatedReviews> ValidateAsync(ReviewRecord[] records, Spec spec, StageContext context, CancellationToken cancellationToken)
    {
        var issues = new List<RecordIssue>();
        ReviewRecord[] valid = await BatchedAsync(records, spec, context, record =>
        {
            RecordIssue? issue =
                record.Rating is < 1 or > 5 ? new RecordIssue(record.Id, "rating", $"{record.Rating} is not from 1 to 5")
                : string.IsNullOrWhiteSpace(record.Text) ? new RecordIssue(record.Id, "text", "empty")
                : !DateOnly.TryParseExact(record.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? new RecordIssue(record.Id, "date", $"'{record.Date}' is not a date")
                : !ReviewDataSet.Products.Contains(record.Product) ? new RecordIssue(record.Id, "product", $"'{record.Product}' is not a known product")
                : null;
            if (issue is null)
            {
                return record;
            }

            issues.Add(issue);
            return null;
        }, cancellationToken).ConfigureAwait(false);
        return new ValidatedReviews(valid, issues.Count, [.. issues]);
    }

    private static async Task<TransformedReviews> TransformAsync(ValidatedReviews input, Spec spec, StageContext context, CancellationToken cancellationToken)
    {
        ScoredReview[] scored = await BatchedAsync(input.Valid, spec, context, record =>
        {
            string[] terms = record.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int positive = terms.Count(ReviewDataSet.PositiveWords.Contains);
            int negative = terms.Count(ReviewDataSet.NegativeWords.Contains);
            double sentiment = positive + negative == 0 ? 0 : (double)(positive - negative) / (positive + negative);
            string label = sentiment > 0.2 ? "positive" : sentiment < -0.2 ? "negative" : "neutral";
            return new ScoredReview(record.Id, record.Product, record.Rating, Math.Round(sentiment, 3), label, [.. terms.Where(t => !StopWords.Contains(t)).Distinct()]);
        }, cancellationToken).ConfigureAwait(false);
        return new TransformedReviews(scored, input.InvalidCount, input.Issues);
    }

    private static ReviewAggregates Aggregate(TransformedReviews input, int records, StageContext context)
    {
        ProductStatistics[] products = [.. input.Reviews
            .GroupBy(r => r.Product)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ProductStatistics(
                g.Key,
                g.Count(),
                Math.Round(g.Average(r => r.Rating), 3),
                [.. Enumerable.Range(1, 5).Select(star => g.Count(r => r.Rating == star))],
                Math.Round(g.Average(r => r.Sentiment), 3),
                g.Count(r => r.Label == "positive"),
                g.Count(r => r.Label == "neutral"),
                g.Count(r => r.Label == "negative")))];
        context.Progress.Report(50, "per-product statistics");

        TermCount[] topTerms = [.. input.Reviews.SelectMany(r => r.Terms)
            .GroupBy(t => t)
            .Select(g => new TermCount(g.Key, g.Count()))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Term, StringComparer.Ordinal)
            .Take(10)];
        context.Progress.Report(100, "top terms");
        return new ReviewAggregates(records, input.Reviews.Length, input.InvalidCount, input.Issues, products, topTerms, Correlation(input.Reviews));
    }

    private static ProcessDataResult Export(ReviewAggregates aggregates, StageContext context)
    {
        var csv = new StringBuilder("product,reviews,average_rating,average_sentiment,positive,neutral,negative\n");
        foreach (ProductStatistics p in aggregates.Products)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Product},{p.Reviews},{p.AverageRating},{p.AverageSentiment},{p.Positive},{p.Neutral},{p.Negative}\n");
        }

        context.Progress.Report(100, "exported");
        return new ProcessDataResult(
            aggregates.Records, aggregates.Valid, aggregates.InvalidCount, [.. aggregates.Issues.Take(SampleIssueCount)],
            aggregates.Products, aggregates.TopTerms, aggregates.RatingSentimentCorrelation, csv.ToString());
    }

    /// <summary>Maps records batch by batch, reporting progress after each batch; a null result drops the record.</summary>
    private static async Task<TOut[]> BatchedAsync<TIn, TOut>(
        TIn[] items, Spec spec, StageContext context, Func<TIn, TOut?> map, CancellationToken cancellationToken)
        where TOut : class
    {
        var output = new List<TOut>(items.Length);
        for (int start = 0; start < items.Length; start += spec.BatchSize)
        {
            int end = Math.Min(start + spec.BatchSize, items.Length);
            for (int i = start; i < end; i++)
            {
                if (map(items[i]) is { } mapped)
                {
                    output.Add(mapped);
                }
            }

            context.Progress.Report(
                100.0 * end / items.Length,
                $"{context.StageName}: {end} of {items.Length} records",
                JsonSerializer.SerializeToElement(new BatchProgress(end, items.Length, output.Count), HandlerJson.Default.BatchProgress));
            if (spec.PaceMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(spec.PaceMs), context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }

        return [.. output];
    }

    private static double Correlation(ScoredReview[] reviews)
    {
        if (reviews.Length < 2)
        {
            return 0;
        }

        double meanRating = reviews.Average(r => r.Rating), meanSentiment = reviews.Average(r => r.Sentiment);
        double covariance = reviews.Sum(r => (r.Rating - meanRating) * (r.Sentiment - meanSentiment));
        double spread = Math.Sqrt(reviews.Sum(r => Math.Pow(r.Rating - meanRating, 2)) * reviews.Sum(r => Math.Pow(r.Sentiment - meanSentiment, 2)));
        return spread == 0 ? 0 : Math.Round(covariance / spread, 3);
    }

    private static T Previous<T>(StageContext context, JsonTypeInfo<T> typeInfo) =>
        context.PreviousOutput is { } previous
            ? previous.Deserialize(typeInfo) ?? throw new InvalidOperationException("The previous stage returned nothing.")
            : throw new InvalidOperationException($"Stage '{context.StageName}' needs the previous stage's output.");

    private static JsonElement? Json<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToElement(value, typeInfo);

    private sealed record Spec(int Records, int Seed, int InvalidPercent, int BatchSize, int PaceMs)
    {
        public static Spec Read(JsonElement payload)
        {
            PayloadReader.RequireObjectOrEmpty(payload);
            return new Spec(
                PayloadReader.GetInt32(payload, "records", 2000, 10, 20_000),
                PayloadReader.GetInt32(payload, "seed", 7, int.MinValue, int.MaxValue),
                PayloadReader.GetInt32(payload, "invalidPercent", 2, 0, 50),
                PayloadReader.GetInt32(payload, "batchSize", 250, 10, 5000),
                PayloadReader.GetInt32(payload, "paceMs", 0, 0, 5000));
        }
    }
}
