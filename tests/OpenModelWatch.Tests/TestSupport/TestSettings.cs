namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// The configuration every test app starts from: its own database and registry, the fake Hub, fast retries, no log
/// files, and the parts a test turns on itself (scheduled ingestion, the bundled snapshot, the census) off.
/// </summary>
public static class TestSettings
{
    public static Dictionary<string, string> For(TempFolder folder, Uri hub, string registryPath) => new()
    {
        ["Store:Provider"] = folder.Provider.ToString(),
        ["ConnectionStrings:OpenModelWatch"] = folder.ConnectionString,
        ["Hub:BaseUrl"] = hub.AbsoluteUri,
        ["Hub:BaseDelay"] = "00:00:00.010",
        ["Hub:MaxDelay"] = "00:00:00.050",
        ["Labs:RegistryPath"] = registryPath,
        ["Ingestion:Enabled"] = "false",
        ["Snapshot:ImportWhenEmpty"] = "false",
        ["Snapshot:ImportHistory"] = "false",
        ["Census:TopN"] = "0",
        ["Logs:Path"] = "",
    };
}
