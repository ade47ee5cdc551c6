using System.Globalization;

namespace Serverless.LoadTest;

/// <summary>One measured figure with its goal.</summary>
internal sealed record Figure(string Scenario, string Metric, double Value, string Unit, string Goal, bool? Met);

/// <summary>Collects figures and prints them as one Markdown table.</summary>
internal sealed class BenchResults
{
    private readonly List<Figure> _figures = [];

    public void Add(string scenario, string metric, double value, string unit, string goal = "", bool? met = null)
    {
        var figure = new Figure(scenario, metric, value, unit, goal, met);
        _figures.Add(figure);
        Console.WriteLine($"  {scenario} · {metric}: {Format(value)} {unit}{(goal.Length > 0 ? $" (goal {goal}: {(met == true ? "met" : "missed")})" : string.Empty)}");
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine("| scenario | metric | value | goal | met |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (Figure f in _figures)
        {
            string met = f.Met switch { true => "yes", false => "**no**", null => "" };
            Console.WriteLine($"| {f.Scenario} | {f.Metric} | {Format(f.Value)} {f.Unit} | {f.Goal} | {met} |");
        }
    }

    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. values.Order()];
        int index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    private static string Format(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);
}
