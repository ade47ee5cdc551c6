namespace Serverless.Core.Handlers;

/// <summary>A record that failed validation, and why; the job goes on without it.</summary>
internal sealed record RecordIssue(int Id, string Field, string Problem);

/// <summary>The validate stage's output: the valid records and every issue found.</summary>
internal sealed record ValidatedReviews(ReviewRecord[] Valid, int InvalidCount, RecordIssue[] Issues);

/// <summary>A valid review with its sentiment: score in [-1, 1] and label.</summary>
internal sealed record ScoredReview(int Id, string Product, int Rating, double Sentiment, string Label, string[] Terms);

/// <summary>The transform stage's output.</summary>
internal sealed record TransformedReviews(ScoredReview[] Reviews, int InvalidCount, RecordIssue[] Issues);

/// <summary>Statistics of one product.</summary>
internal sealed record ProductStatistics(
    string Product, int Reviews, double AverageRating, int[] RatingHistogram, double AverageSentiment, int Positive, int Neutral, int Negative);

/// <summary>A frequent term and how often it appears.</summary>
internal sealed record TermCount(string Term, int Count);

/// <summary>The aggregate stage's output.</summary>
internal sealed record ReviewAggregates(
    int Records, int Valid, int InvalidCount, RecordIssue[] Issues, ProductStatistics[] Products, TermCount[] TopTerms, double RatingSentimentCorrelation);

/// <summary>The <c>process_data</c> result: the aggregates plus a CSV export per product.</summary>
internal sealed record ProcessDataResult(
    int Records, int Valid, int Invalid, RecordIssue[] SampleIssues, ProductStatistics[] Products, TermCount[] TopTerms,
    double RatingSentimentCorrelation, string Csv);
