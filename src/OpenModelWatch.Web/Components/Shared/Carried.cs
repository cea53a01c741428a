namespace OpenModelWatch.Web.Components.Shared;

/// <summary>
/// What a component loaded while it was prerendered, and for what: carried into its interactive render by .NET's
/// persistent component state (<c>[PersistentState] public Carried&lt;T&gt;? Prerendered</c>), so that the circuit's
/// first render shows the very data the server sent instead of running the component's queries a second time.
/// </summary>
/// <param name="Key">What the data answers: the page's address, or the model id of a panel; it is used for nothing else.</param>
public sealed record Carried<T>(string Key, T Value)
    where T : class
{
    /// <summary>The carried data when it answers <paramref name="key"/>; null when nothing was carried or it was for something else.</summary>
    public static T? For(Carried<T>? carried, string key) => carried is not null && carried.Key == key ? carried.Value : null;
}
