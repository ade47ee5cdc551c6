using System.Text.Json;

namespace Serverless.Infra.Tests;

/// <summary>The SignalR Service resource takes only the unit counts the service accepts; the app signs with the key chosen for rotation.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class SignalRTests(CompiledTemplate template)
{
    // Standard_S1 and Premium_P1 scale to 1–10, then in tens up to 100 (signalr-howto-scale-signalr).
    private static readonly int[] ServiceUnitCounts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

    [Fact]
    public void Capacity_AllowsExactlyTheServicesUnitCounts()
    {
        Assert.Equal(ServiceUnitCounts, AllowedValues(template.Root, "signalRCapacity"));
        JsonElement module = template.Templates().Single(t => t.GetRawText().Contains("\"Microsoft.SignalRService/signalR\"", StringComparison.Ordinal)
            && t.GetProperty("parameters").TryGetProperty("capacity", out _));
        Assert.Equal(ServiceUnitCounts, AllowedValues(module, "capacity"));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(11)]
    [InlineData(0)]
    [InlineData(110)]
    public void Parameters_UnitCountTheServiceRefuses_FailToBuild(int units)
    {
        (int exitCode, string output) = CompiledTemplate.BuildParameters(Parameters(units));

        Assert.NotEqual(0, exitCode);
        Assert.Matches("Error BCP32[78]", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(100)]
    public void Parameters_UnitCountTheServiceAccepts_Build(int units)
    {
        (int exitCode, string output) = CompiledTemplate.BuildParameters(Parameters(units));

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void AppSettings_ActiveKeySignsTokensAndTheOtherIsAcceptedOnUpstream()
    {
        JsonElement active = template.Root.GetProperty("parameters").GetProperty("signalRSigner");
        Assert.Equal(["primary", "secondary"], active.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("primary", active.GetProperty("defaultValue").GetString());

        string connection = AppSetting("SignalR__ConnectionString");
        string secondary = AppSetting("SignalR__SecondaryAccessKey");

        // if(active == 'primary', primary…, secondary…) for the signing key, the other way round for the accepted one.
        Assert.Contains("signalRSigner", connection, StringComparison.Ordinal);
        Assert.True(Index(connection, "primaryConnectionString") < Index(connection, "secondaryConnectionString"), connection);
        Assert.Contains("signalRSigner", secondary, StringComparison.Ordinal);
        Assert.True(Index(secondary, "secondaryKey") < Index(secondary, "primaryKey"), secondary);
    }

    [Theory]
    [InlineData("'secondary'", true)]
    [InlineData("'tertiary'", false)]
    public void Parameters_ActiveKey_OnlyPrimaryOrSecondary(string value, bool builds)
    {
        (int exitCode, string output) = CompiledTemplate.BuildParameters(Parameters(1) + Environment.NewLine + $"param signalRSigner = {value}");

        Assert.True((exitCode == 0) == builds, output);
    }

    private static int Index(string text, string part)
    {
        int index = text.IndexOf(part, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{part}' not in {text}");
        return index;
    }

    /// <summary>The value expression of one app setting of the function app, wherever the template nests it.</summary>
    private string AppSetting(string name)
    {
        string[] values = [.. template.Templates().SelectMany(t => Find(t, name))];
        return Assert.Single(values);
    }

    private static IEnumerable<string> Find(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String && n.GetString() == name
                && element.TryGetProperty("value", out JsonElement v))
            {
                yield return v.GetRawText();
            }

            foreach (JsonProperty property in element.EnumerateObject())
            {
                // Nested module templates are walked by Templates(); do not count them twice.
                if (property.Name != "template")
                {
                    foreach (string found in Find(property.Value, name))
                    {
                        yield return found;
                    }
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (string found in element.EnumerateArray().SelectMany(e => Find(e, name)))
            {
                yield return found;
            }
        }
    }

    private static int[] AllowedValues(JsonElement template, string parameter) =>
        template.GetProperty("parameters").GetProperty(parameter).TryGetProperty("allowedValues", out JsonElement allowed)
            ? [.. allowed.EnumerateArray().Select(v => v.GetInt32())]
            : [];

    private static string ParameterLine(int units) => $"param signalRCapacity = {units}";

    // With the parameters that have no default.
    private static string Parameters(int units) =>
        string.Join(Environment.NewLine, "param authIssuer = 'serverless'", "param authAudience = 'serverless'", ParameterLine(units));
}
