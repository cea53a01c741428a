using System.Diagnostics;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// The real app as a separate process (<c>dotnet OpenModelWatch.Web.dll …</c>), built with the tests, configured by
/// environment variables, so it can be killed for real.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private AppProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The web app's build output of the same configuration as the tests (Debug or Release).</summary>
    public static string AppDll
    {
        get
        {
            // …/tests/OpenModelWatch.Tests/bin/<Configuration>/net10.0/linux-x64/
            var parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var configuration = parts[Array.LastIndexOf(parts, "bin") + 1];
            var path = Repo.Path("src", "OpenModelWatch.Web", "bin", configuration, "net10.0", "OpenModelWatch.Web.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The web app is not built at {path}.");
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the app with <paramref name="args"/>; settings become environment variables (<c>Hub:BaseUrl</c> → <c>Hub__BaseUrl</c>).</summary>
    public static AppProcess Start(IReadOnlyDictionary<string, string> settings, params string[] args) => StartWithInput(settings, null, args);

    /// <summary>As <see cref="Start"/>, writing <paramref name="standardInput"/> (if any) to the app's standard input and closing it.</summary>
    public static AppProcess StartWithInput(IReadOnlyDictionary<string, string> settings, string? standardInput, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppDll)!,
        };
        start.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Test";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Test";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        return new AppProcess(process);
    }

    /// <summary>Waits for the exit; returns the code and what it printed.</summary>
    public async Task<(int ExitCode, string Out, string Error)> WaitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return (_process.ExitCode, await _stdout, await _stderr);
    }

    /// <summary>SIGKILL: no cleanup, no finally blocks, as in a crash or an OOM kill.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
