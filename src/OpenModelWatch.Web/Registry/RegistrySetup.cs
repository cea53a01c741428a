using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace OpenModelWatch.Web.Registry;

/// <summary>The <c>Labs</c> configuration section.</summary>
public sealed class LabsOptions
{
    public const string Section = "Labs";

    /// <summary>The registry file; a relative path resolves against the app's base directory, where the build copies it.</summary>
    [Required]
    public string RegistryPath { get; set; } = "seeds/labs.json";

    public string ResolvedPath => Path.IsPathRooted(RegistryPath) ? RegistryPath : Path.Combine(AppContext.BaseDirectory, RegistryPath);
}

public static class LabsSetup
{
    /// <summary>The registry, loaded once and validated; a bad file stops the host with the line at fault.</summary>
    public static IHostApplicationBuilder AddLabRegistry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LabsOptions>().BindConfiguration(LabsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(provider => LabRegistry.Load(provider.GetRequiredService<IOptions<LabsOptions>>().Value.ResolvedPath));
        return builder;
    }
}
