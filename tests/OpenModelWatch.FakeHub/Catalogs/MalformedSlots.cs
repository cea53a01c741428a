namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>Where malformed records go in a listing of a given length.</summary>
internal static class MalformedSlots
{
    // A duplicate is most treacherous across a page boundary: a client that de-duplicates only
    // within a page misses it. Multiples of 1000 are boundaries for the Hub's largest page and for
    // the JS client's 500.
    private const int PageBoundary = 1000;

    /// <summary>
    /// Positions of the malformed records, every <paramref name="every"/>-th record (the last of each
    /// run), cycling through <paramref name="kinds"/>; a duplicate moves forward to the next page
    /// boundary when that stays before the next slot.
    /// </summary>
    public static IReadOnlyDictionary<int, MalformedKind> Place(int count, int every, IReadOnlyList<MalformedKind> kinds)
    {
        var slots = new Dictionary<int, MalformedKind>();
        if (every == 0)
        {
            return slots;
        }

        for (var slot = 0; ; slot++)
        {
            var nominal = ((long)slot + 1) * every - 1;
            if (nominal >= count)
            {
                return slots;
            }

            var kind = kinds[slot % kinds.Count];
            var position = nominal;
            if (kind == MalformedKind.Duplicate)
            {
                var boundary = (nominal + PageBoundary - 1) / PageBoundary * PageBoundary;
                if (boundary < nominal + every && boundary < count)
                {
                    position = boundary;
                }
            }

            slots[(int)position] = kind;
        }
    }
}
