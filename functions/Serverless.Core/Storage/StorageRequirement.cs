namespace Serverless.Core.Storage;

/// <summary>Tables and blob containers a feature needs in the storage account; each feature registers its own.</summary>
internal sealed record StorageRequirement(IReadOnlyList<string> Tables, IReadOnlyList<string> Containers);
