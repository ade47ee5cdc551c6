using System.Text.Json;

namespace Serverless.Infra.Tests;

/// <summary>The SignalR Service resource takes only the unit counts the service accepts.</summary>
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
        (int exitCode, string output) = template.BuildParameters(Parameters(units));

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
        (int exitCode, string output) = template.BuildParameters(Parameters(units));

        Assert.True(exitCode == 0, output);
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
