namespace Serverless.LocalHost.Storage;

/// <summary>Whether and how the local host starts Azurite itself. Section <c>Azurite</c>.</summary>
internal sealed class AzuriteOptions
{
    public const string Section = "Azurite";

    /// <summary>Start Azurite from node_modules when nothing answers on the storage endpoints; default true.</summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>Folder for Azurite's data; default none (in memory, gone when the host stops).</summary>
    public string? Location { get; set; }

    /// <summary>Path of <c>node_modules/azurite</c>; default: searched upwards from the working directory and the app folder.</summary>
    public string? PackagePath { get; set; }
}
