namespace OpenModelWatch.Tests.TestSupport;

/// <summary>Paths in the repository, found from the test's output folder.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "OpenModelWatch.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No OpenModelWatch.sln above {AppContext.BaseDirectory}.");
    }
}
