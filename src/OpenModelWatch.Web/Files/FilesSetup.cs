namespace OpenModelWatch.Web.Files;

/// <summary>The file machinery's settings: the public address written into every file, and whether answers are cached.</summary>
public static class FilesSetup
{
    public static IHostApplicationBuilder AddFiles(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExportsOptions>().BindConfiguration(ExportsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
