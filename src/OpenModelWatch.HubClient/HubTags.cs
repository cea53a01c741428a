namespace OpenModelWatch.Hub;

/// <summary>How a model derives from its base model, as the Hub's <c>base_model:RELATION:ORG/NAME</c> tags say.</summary>
public enum LineageRelation
{
    Finetune,
    Quantized,
    Adapter,
    Merge,
}

public sealed record HubLineageEdge(string ParentId, LineageRelation Relation);

/// <summary>Reads licence and lineage out of a model's tags.</summary>
public static class HubTags
{
    private const string BaseModelPrefix = "base_model:";
    private const string LicensePrefix = "license:";

    public static string? License(IEnumerable<string?>? tags)
    {
        foreach (var tag in tags ?? [])
        {
            if (tag is not null && tag.StartsWith(LicensePrefix, StringComparison.Ordinal) && tag.Length > LicensePrefix.Length)
            {
                return tag[LicensePrefix.Length..];
            }
        }

        return null;
    }

    /// <summary>
    /// The parents a model declares, in tag order, each once. A parent named only by a bare
    /// <c>base_model:ORG/NAME</c> tag is a finetune: that is what the Hub infers when the card states no relation.
    /// </summary>
    public static IReadOnlyList<HubLineageEdge> Lineage(IEnumerable<string?>? tags)
    {
        List<string>? order = null;
        Dictionary<string, LineageRelation?>? relations = null;
        foreach (var tag in tags ?? [])
        {
            if (tag is null || !tag.StartsWith(BaseModelPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = tag.AsSpan(BaseModelPrefix.Length);
            LineageRelation? relation = null;
            var colon = rest.IndexOf(':');
            if (colon >= 0)
            {
                if (!TryParseRelation(rest[..colon], out var explicitRelation))
                {
                    continue;
                }

                relation = explicitRelation;
                rest = rest[(colon + 1)..];
            }

            if (!IsRepoId(rest))
            {
                continue;
            }

            var parent = rest.ToString();
            order ??= [];
            relations ??= new(StringComparer.Ordinal);
            if (relations.TryGetValue(parent, out var known))
            {
                relations[parent] = known ?? relation;
            }
            else
            {
                order.Add(parent);
                relations[parent] = relation;
            }
        }

        if (order is null)
        {
            return [];
        }

        return order.Select(parent => new HubLineageEdge(parent, relations![parent] ?? LineageRelation.Finetune)).ToArray();
    }

    public static bool TryParseRelation(ReadOnlySpan<char> text, out LineageRelation relation)
    {
        switch (text)
        {
            case "finetune": relation = LineageRelation.Finetune; return true;
            case "quantized": relation = LineageRelation.Quantized; return true;
            case "adapter": relation = LineageRelation.Adapter; return true;
            case "merge": relation = LineageRelation.Merge; return true;
            default: relation = default; return false;
        }
    }

    public static string ToTagName(this LineageRelation relation) => relation switch
    {
        LineageRelation.Finetune => "finetune",
        LineageRelation.Quantized => "quantized",
        LineageRelation.Adapter => "adapter",
        LineageRelation.Merge => "merge",
        _ => throw new ArgumentOutOfRangeException(nameof(relation)),
    };

    private static bool IsRepoId(ReadOnlySpan<char> text)
    {
        var slash = text.IndexOf('/');
        return slash > 0 && slash < text.Length - 1 && text[(slash + 1)..].IndexOf('/') < 0 && text.IndexOfAny(' ', ':') < 0;
    }
}
