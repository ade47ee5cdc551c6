using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace Serverless.Cli;

/// <summary>Range checks for numeric options that leave a value that is no number to the parser's own error.</summary>
internal static class OptionRange
{
    /// <summary>Adds <paramref name="error"/> when the option's value is outside [<paramref name="min"/>, <paramref name="max"/>] (or NaN).</summary>
    public static void Require<T>(Option<T> option, T min, T max, string error)
        where T : INumber<T>
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            // Reading a value that did not convert throws; the parser reports it as a usage error itself.
            if (result.Tokens.Count > 0 && !T.TryParse(result.Tokens[^1].Value, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _))
            {
                return;
            }

            T value = result.GetValueOrDefault<T>();
            if (!(value >= min && value <= max))
            {
                result.AddError(error);
            }
        });
    }
}
