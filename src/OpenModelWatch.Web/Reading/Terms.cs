namespace OpenModelWatch.Web.Reading;

/// <summary>
/// One short explanation per term (the product's vocabulary), so every page says the same thing. These constants are
/// the English words of the API's documentation (which does not change with the reader's language); pages and files
/// read the same explanations in the reader's language from the texts <c>Term.{Name}</c>, whose English is these.
/// </summary>
public static class Terms
{
    public const string Downloads30d =
        "The Hub's \"downloads\": downloads over the last 30 days at the time of the run. The Hub counts every fetch of a model's config file, so CI pipelines and mirrors count too.";

    public const string DownloadsAllTime = "The Hub's \"downloadsAllTime\": every download since the model was created.";

    public const string Likes = "Hub users who liked the model (the Hub's \"likes\").";

    public const string Trending =
        "The Hub's \"trendingScore\": how fast a model is gaining likes and downloads right now; new models rise fast.";

    public const string Country =
        "The country of the headquarters of the lab that made the model, from the reviewed lab registry (seeds/labs.json); a lab's Hub namespaces, old names included, all count for it.";

    public const string Unknown =
        "By origin: models whose root base model comes from a namespace outside the lab registry, or whose lineage could not be resolved. They are counted, never guessed: Unknown (country XX).";

    public const string Region =
        "A bucket for charts: China (CN, HK, MO), US, Europe (geographic Europe, with the UK, Switzerland and Norway), Other; and Community (by uploader) or Unknown (by origin) for models of no known lab.";

    public const string Coverage = "Share of 30-day downloads that come from models attributed to a known country.";

    public const string AsOf =
        "The finish time of the ingestion run these numbers come from. A run's counts are shown only once the whole run has succeeded.";

    public const string Share = "Share of the 30-day downloads of all models counted in this view.";

    public const string Change = "Change of 30-day downloads since the previous successful run.";

    public const string Attribution =
        "By uploader, a model counts for the lab of the namespace that uploaded it: a community fine-tune of Llama counts for its uploader. By origin, a derivative (fine-tune, quantization, adapter, merge) counts for the registered lab closest to the root of its lineage: that fine-tune counts for Meta.";

    public const string Scope =
        "All tracked models: every model of the registry's labs, plus the Hub's most downloaded models. Hub's top (census): only the Hub's most downloaded models, whoever uploaded them, so shares are of the whole Hub's head.";

    public const string Community =
        "Models uploaded by namespaces that are not in the lab registry (people, small groups): by uploader they count for themselves, country XX.";

    public const string Derivative =
        "A model whose Hub tags name a base model (base_model:): a fine-tune, a quantization, an adapter or a merge, made by anyone. Its relation is the kind of derivation; a bare base_model: tag is a fine-tune.";

    public const string Origin =
        "The root of a derivative's lineage: follow its first parent (its base_model: tag, or a reviewed curated link where it declares none), then that parent's, until a model with no parent. The origin lab is the registered lab closest to that root along the chain (the model itself included); a chain with no registered link, or one that loops, counts as Unknown.";

    /// <summary>The seed story's rules (the overview's timeline): one-model months, the crossover, like-with-like shares.</summary>
    public const string SeedStoryRules =
        "A month's lead rests on one model when the leader's largest model has more than half of the leader's 30-day downloads; such a month is marked, not counted as a lead. " +
        "The crossover is the first month from which the same side leads, not on one model, in every month up to the latest, at least two months in a row. " +
        "Shares are of the 30-day downloads of the organisations the monthly history lists, by the country of each organisation's lab: over each month's whole list (which grows), and over the organisations of its first month that the month still lists (like with like).";
}
