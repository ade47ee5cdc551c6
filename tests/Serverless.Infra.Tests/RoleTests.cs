using System.Text.Json;

namespace Serverless.Infra.Tests;

/// <summary>The app's identity gets only the data roles it uses.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class RoleTests(CompiledTemplate template)
{
    private static readonly Dictionary<string, string> Granted = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["2b629674-e913-4c01-ae53-ef4638d8f975"] = "Azure Event Hubs Data Sender",
    };

    private static readonly Dictionary<string, string> TooBroad = new(StringComparer.OrdinalIgnoreCase)
    {
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner",
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = "Contributor",
        ["17d1049b-9a84-46fb-8f53-869881c3d3ab"] = "Storage Account Contributor",
        ["f526a384-b230-433a-b45c-95f59c4a2dec"] = "Azure Event Hubs Data Owner",
        // The app only sends; readers use their own identity.
        ["a638d3c7-ab3a-418d-83e6-5f17a39d4fde"] = "Azure Event Hubs Data Receiver",
    };

    [Fact]
    public void RoleIds_AreTheGrantedOnes()
    {
        JsonElement roles = RolesTemplate().GetProperty("variables").GetProperty("roles");

        string[] ids = [.. roles.EnumerateObject().Select(role => role.Value.GetString()!)];

        Assert.Equal(Granted.Keys.Order(StringComparer.OrdinalIgnoreCase), ids.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Template_GrantsNoBroadRole()
    {
        string all = template.Root.GetRawText();

        string[] found = [.. TooBroad.Where(role => all.Contains(role.Key, StringComparison.OrdinalIgnoreCase)).Select(role => role.Value)];

        Assert.True(found.Length == 0, "Broader roles than needed: " + string.Join(", ", found));
    }

    [Fact]
    public void Assignments_AreToTheAppsServicePrincipal()
    {
        JsonElement[] assignments = template.ResourcesOfType("Microsoft.Authorization/roleAssignments");

        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", a.GetProperty("properties").GetProperty("principalType").GetString()));
    }

    private JsonElement RolesTemplate() => Assert.Single(template.Templates(), t =>
        t.TryGetProperty("resources", out JsonElement resources)
        && resources.ValueKind == JsonValueKind.Array
        && resources.EnumerateArray().Any(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments"));
}
