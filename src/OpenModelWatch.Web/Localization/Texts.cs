namespace OpenModelWatch.Web.Localization;

/// <summary>
/// The one resource every user-facing text comes from: <c>Texts.resx</c> (English, the fallback) and
/// <c>Texts.es.resx</c> (Spanish). Adding a language is translating one file, <c>Texts.{culture}.resx</c>, and naming
/// the culture in <see cref="Languages.Supported"/>. Read it through <c>IStringLocalizer&lt;Texts&gt;</c>.
/// </summary>
public sealed class Texts;
