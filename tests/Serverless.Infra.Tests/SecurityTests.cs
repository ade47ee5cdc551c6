using System.Text.Json;

namespace Serverless.Infra.Tests;

/// <summary>Security properties of the compiled template: no secrets out, no keys in, TLS and HTTPS only.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class SecurityTests(CompiledTemplate template)
{
    private static readonly string[] SecretMarkers = ["listKeys", "list(", "listSecrets", "connectionString", "primaryKey", "secondaryKey", "accessKey"];

    [Fact]
    public void Outputs_ReferenceNoKeysOrConnectionStrings()
    {
        string[] leaking =
        [
            .. template.Templates()
                .Where(t => t.TryGetProperty("outputs", out _))
                .SelectMany(t => t.GetProperty("outputs").EnumerateObject())
                .Where(output => output.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase)
                    || SecretMarkers.Any(marker => output.Value.GetRawText().Contains(marker, StringComparison.OrdinalIgnoreCase)))
                .Select(output => output.Name),
        ];

        Assert.True(leaking.Length == 0, "Outputs that expose secrets: " + string.Join(", ", leaking));
    }

    [Fact]
    public void SecretParameters_AreSecure()
    {
        string[] plain =
        [
            .. template.Templates()
                .Where(t => t.TryGetProperty("parameters", out _))
                .SelectMany(t => t.GetProperty("parameters").EnumerateObject())
                .Where(p => (p.Name.Contains("key", StringComparison.OrdinalIgnoreCase) || p.Name.Contains("secret", StringComparison.OrdinalIgnoreCase)
                        || p.Name.Contains("password", StringComparison.OrdinalIgnoreCase))
                    && !p.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
                .Select(p => p.Name),
        ];

        Assert.True(plain.Length == 0, "Secret parameters without @secure(): " + string.Join(", ", plain));
    }

    [Fact]
    public void Storage_RefusesSharedKeysPublicBlobsAndOldTls()
    {
        foreach (JsonElement account in template.ResourcesOfType("Microsoft.Storage/storageAccounts"))
        {
            JsonElement properties = account.GetProperty("properties");
            Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
            Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
            Assert.True(properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
            Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
        }
    }

    [Fact]
    public void EventHubs_DisablesLocalAuth()
    {
        foreach (JsonElement ns in template.ResourcesOfType("Microsoft.EventHub/namespaces"))
        {
            Assert.True(ns.GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean());
            Assert.Equal("1.2", ns.GetProperty("properties").GetProperty("minimumTlsVersion").GetString());
        }
    }

    [Fact]
    public void SignalR_KeepsAccessKeysForUpstreamSignatures()
    {
        // The upstream endpoint checks X-ASRS-Signature, an HMAC with the access keys.
        JsonElement signalR = Assert.Single(template.ResourcesOfType("Microsoft.SignalRService/signalR"));
        JsonElement properties = signalR.GetProperty("properties");

        Assert.False(properties.GetProperty("disableLocalAuth").GetBoolean());
        Assert.Contains(properties.GetProperty("features").EnumerateArray(),
            f => f.GetProperty("flag").GetString() == "ServiceMode" && f.GetProperty("value").GetString() == "Serverless");
        JsonElement upstream = Assert.Single(properties.GetProperty("upstream").GetProperty("templates").EnumerateArray());
        // ARM's format() escapes literal braces by doubling them.
        string url = upstream.GetProperty("urlTemplate").GetString()!.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal);
        Assert.Contains("/api/upstream/{hub}/{category}/{event}?code={1}'", url, StringComparison.Ordinal);
    }

    [Fact]
    public void SignalRUpstream_CarriesTheFunctionKeyTheAppIsGiven()
    {
        // SignalRUpstream is AuthorizationLevel.Function: the URL template's ?code= must be a key the app has.
        JsonElement upstream = Assert.Single(Assert.Single(template.ResourcesOfType("Microsoft.SignalRService/signalR"))
            .GetProperty("properties").GetProperty("upstream").GetProperty("templates").EnumerateArray());
        JsonElement key = Assert.Single(template.ResourcesOfType("Microsoft.Web/sites/host/functionKeys"));

        Assert.Contains("parameters('upstreamFunctionKey')", upstream.GetProperty("urlTemplate").GetString()!, StringComparison.Ordinal);
        Assert.Equal("[parameters('upstreamFunctionKey')]", key.GetProperty("properties").GetProperty("value").GetString());
        Assert.All(
            template.Templates().Where(t => t.TryGetProperty("parameters", out _))
                .SelectMany(t => t.GetProperty("parameters").EnumerateObject()).Where(p => p.Name == "upstreamFunctionKey"),
            p => Assert.Equal("securestring", p.Value.GetProperty("type").GetString()));
    }

    [Fact]
    public void Site_IsHttpsOnlyWithSystemIdentityAndModernTls()
    {
        JsonElement site = Assert.Single(template.ResourcesOfType("Microsoft.Web/sites"));
        JsonElement properties = site.GetProperty("properties");

        Assert.Equal("SystemAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        Assert.True(properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", properties.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString());
        Assert.Equal("Disabled", properties.GetProperty("siteConfig").GetProperty("ftpsState").GetString());
        Assert.Equal("SystemAssignedIdentity",
            properties.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
    }

    [Fact]
    public void Plan_IsFlexConsumption()
    {
        JsonElement plan = Assert.Single(template.ResourcesOfType("Microsoft.Web/serverfarms"));

        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
    }
}
