using System.Globalization;

namespace Serverless.Core.Handlers;

/// <summary>One product review as loaded: fields are raw, so validation has something to find.</summary>
internal sealed record ReviewRecord(int Id, string Product, int Rating, string Text, string Date);

/// <summary>
/// Generates a deterministic data set of product reviews (same seed, same records), with a chosen share of
/// deliberately invalid records (rating out of range, empty text, bad date, unknown product).
/// </summary>
internal static class ReviewDataSet
{
    public static readonly string[] Products = ["aurora-lamp", "borealis-kettle", "cirrus-fan", "delta-blender", "ember-heater", "fjord-bottle"];

    public static readonly HashSet<string> PositiveWords = new(StringComparer.Ordinal)
    {
        "great", "excellent", "love", "reliable", "quiet", "sturdy", "fast", "beautiful", "perfect", "recommend",
    };

    public static readonly HashSet<string> NegativeWords = new(StringComparer.Ordinal)
    {
        "broken", "noisy", "slow", "flimsy", "disappointing", "leaks", "returned", "poor", "useless", "overpriced",
    };

    private static readonly string[] NeutralWords =
        ["the", "it", "arrived", "box", "colour", "kitchen", "daily", "price", "after", "weeks", "use", "design", "battery", "handle", "setup"];

    public static IEnumerable<ReviewRecord> Generate(int count, int seed, int invalidPercent)
    {
        var random = new Random(seed);
        var start = new DateOnly(2026, 1, 1);
        for (int id = 1; id <= count; id++)
        {
            int productIndex = random.Next(Products.Length);
            int rating = 1 + (int)Math.Round(4 * Math.Clamp(0.55 + 0.1 * productIndex - 0.25 + random.NextDouble() * 0.5, 0, 1));
            string text = Sentence(random, rating);
            string date = start.AddDays(random.Next(330)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            string product = Products[productIndex];

            if (random.Next(100) < invalidPercent)
            {
                switch (random.Next(4))
                {
                    case 0: rating = random.Next(2) == 0 ? 0 : 6 + random.Next(5); break;
                    case 1: text = string.Empty; break;
                    case 2: date = "2026-13-" + random.Next(40); break;
                    default: product = "unknown-" + random.Next(1000).ToString(CultureInfo.InvariantCulture); break;
                }
            }

            yield return new ReviewRecord(id, product, rating, text, date);
        }
    }

    private static string Sentence(Random random, int rating)
    {
        int length = 6 + random.Next(10);
        var words = new string[length];
        for (int i = 0; i < length; i++)
        {
            // Ratings steer the mix of positive and negative words, with noise, so sentiment and rating correlate.
            double roll = random.NextDouble();
            double positive = 0.05 + 0.06 * rating;
            double negative = 0.35 - 0.06 * rating;
            words[i] = roll < positive ? Pick(random, PositiveWords)
                : roll < positive + negative ? Pick(random, NegativeWords)
                : NeutralWords[random.Next(NeutralWords.Length)];
        }

        return string.Join(' ', words);
    }

    private static string Pick(Random random, HashSet<string> words) => words.ElementAt(random.Next(words.Count));
}
