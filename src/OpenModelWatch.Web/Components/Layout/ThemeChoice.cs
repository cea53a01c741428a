namespace OpenModelWatch.Web.Components.Layout;

/// <summary>
/// The theme the first paint uses, read from the request's cookies by <c>App</c>: the reader's own choice
/// (<see cref="Chosen"/>, cookie <c>omw-theme</c>), else the system preference the browser reported last time
/// (<see cref="System"/>, cookie <c>omw-system</c>), else light. Without a choice the layout follows the system's
/// preference once the circuit is up, and keeps following it.
/// </summary>
public sealed record ThemeChoice(bool? Chosen, bool? System)
{
    public const string ChosenCookie = "omw-theme";
    public const string SystemCookie = "omw-system";

    public bool FirstPaintDark => Chosen ?? System ?? false;

    public static ThemeChoice From(IRequestCookieCollection cookies) => new(Dark(cookies[ChosenCookie]), Dark(cookies[SystemCookie]));

    /// <summary>The cookie's value for a theme.</summary>
    public static string Value(bool dark) => dark ? "dark" : "light";

    private static bool? Dark(string? value) => value switch
    {
        "dark" => true,
        "light" => false,
        _ => null,
    };
}
