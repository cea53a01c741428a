using Microsoft.Extensions.Localization;
using MudBlazor;

namespace OpenModelWatch.Web.Localization;

/// <summary>
/// MudBlazor's own texts (the grid's "Rows per page:" and "1-25 of 1,234", its sort and filter labels, the date
/// picker's buttons) from <see cref="Texts"/>: the key <c>Mud.{MudBlazor's key}</c> in the reader's language. A key
/// with no text of ours is reported not found, and MudBlazor falls back to its built-in English.
/// </summary>
public sealed class MudTexts : MudLocalizer
{
    private const string Prefix = "Mud.";

    public override LocalizedString this[string key]
    {
        get
        {
            var text = Texts.Get(Prefix + key);
            return text == Prefix + key ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, text);
        }
    }
}
