using Serverless.LocalHost.Storage;

namespace Serverless.Testing;

/// <summary>
/// Azurite as the repository installs it (<c>npm ci</c>), started in memory on ports it binds itself and reports
/// (see <see cref="AzuriteProcess"/>), so no port is ever guessed or shared.
/// </summary>
public static class RepositoryAzurite
{
    /// <summary>Starts a fresh Azurite; fails with what to run when node_modules holds none.</summary>
    public static async Task<AzuriteProcess> StartAsync()
    {
        string package = AzuriteProcess.FindPackage(AppContext.BaseDirectory, RepositoryLayout.Root)
            ?? throw new InvalidOperationException("Azurite is not installed: run 'npm ci' in the repository root (Node 20).");
        return await AzuriteProcess.StartAsync(package).ConfigureAwait(false);
    }
}
