namespace OpenModelWatch.Web.Registry;

/// <summary>
/// With uploader attribution, a namespace outside the registry is shown as a community uploader of its own
/// (<c>community:unsloth</c>), country XX, so quantizers and finetuners are named rather than lumped into Unknown.
/// </summary>
public static class CommunityLab
{
    public const string Prefix = "community:";

    public static string IdOf(string ns) => Prefix + ns;

    public static string? NamespaceOf(string? labId) =>
        labId is not null && labId.StartsWith(Prefix, StringComparison.Ordinal) && labId.Length > Prefix.Length ? labId[Prefix.Length..] : null;
}
