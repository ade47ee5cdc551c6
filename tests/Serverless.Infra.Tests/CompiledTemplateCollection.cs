namespace Serverless.Infra.Tests;

/// <summary>One compile of infra/main.bicep shared by every test class.</summary>
[CollectionDefinition(Name)]
public sealed class CompiledTemplateCollection : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "Compiled template";
}
