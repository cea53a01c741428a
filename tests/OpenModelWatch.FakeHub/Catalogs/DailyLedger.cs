namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>
/// The removals and renames of a <see cref="DailyCatalog"/>. Day d draws them, from (seed, d), among the models day d − 1
/// has, so days are simulated in order, once, as far as asked, and kept: the removal day of every catalog number (4 bytes
/// each) and each day's removed and renamed numbers.
/// </summary>
internal sealed class DailyLedger(DailyCatalog catalog)
{
    private readonly Lock _lock = new();
    private readonly List<int[]> _removedOn = [[]];
    private readonly List<int[]> _renamedOn = [[]];

    // By catalog number: the day it was removed, 0 while it is not.
    private int[] _removedDay = new int[catalog.UniverseAt(0)];

    /// <summary>What <paramref name="day"/> serves: every model it has, in catalog order, and how often each was renamed.</summary>
    public GeneratedDay DayView(int day)
    {
        lock (_lock)
        {
            SimulateTo(day);
            var universe = catalog.UniverseAt(day);
            var count = 0;
            for (var slot = 0; slot < universe; slot++)
            {
                count += ExistsOn(slot, day) ? 1 : 0;
            }

            var slots = new int[count];
            for (int slot = 0, i = 0; slot < universe; slot++)
            {
                if (ExistsOn(slot, day))
                {
                    slots[i++] = slot;
                }
            }

            var renames = new Dictionary<int, int>();
            for (var d = 1; d <= day; d++)
            {
                foreach (var slot in _renamedOn[d])
                {
                    renames[slot] = renames.GetValueOrDefault(slot) + 1;
                }
            }

            return new GeneratedDay(catalog, day, slots, renames);
        }
    }

    public DayChanges ChangesOn(int day)
    {
        lock (_lock)
        {
            SimulateTo(day);
            var (changed, unchanged) = (0, 0);
            for (var slot = 0; slot < catalog.UniverseAt(day - 1); slot++)
            {
                if (!ExistsOn(slot, day))
                {
                    continue;
                }

                if (catalog.ChangesOnDay(slot, day))
                {
                    changed++;
                }
                else
                {
                    unchanged++;
                }
            }

            return new DayChanges(day, changed + unchanged + catalog.NewPerDay, catalog.NewPerDay, _removedOn[day].Length, _renamedOn[day].Length, changed, unchanged);
        }
    }

    private bool ExistsOn(int slot, int day) => _removedDay[slot] == 0 || _removedDay[slot] > day;

    private void SimulateTo(int day)
    {
        if (_removedDay.Length < catalog.UniverseAt(day))
        {
            Array.Resize(ref _removedDay, catalog.UniverseAt(day));
        }

        for (var d = _removedOn.Count; d <= day; d++)
        {
            Simulate(d);
        }
    }

    private void Simulate(int day)
    {
        // Every draw is among the models of the day before: neither today's new ones nor those already removed.
        var universe = catalog.UniverseAt(day - 1);
        var random = new SplitMix64(catalog.DaySeed(day));
        var removed = new int[catalog.RemovedPerDay];
        for (var i = 0; i < removed.Length;)
        {
            // Density rising linearly with the catalog number: the tail and the newer models go more often.
            var slot = Math.Min(universe - 1, (int)(universe * Math.Sqrt(random.NextUnit())));
            if (_removedDay[slot] == 0)
            {
                _removedDay[slot] = day;
                removed[i++] = slot;
            }
        }

        var renamed = new int[catalog.RenamedPerDay];
        var picked = new HashSet<int>();
        for (var i = 0; i < renamed.Length;)
        {
            var slot = (int)(random.Next() % (ulong)universe);
            if (_removedDay[slot] == 0 && picked.Add(slot))
            {
                renamed[i++] = slot;
            }
        }

        Array.Sort(removed);
        Array.Sort(renamed);
        _removedOn.Add(removed);
        _renamedOn.Add(renamed);
    }

    private struct SplitMix64(ulong state)
    {
        public ulong Next()
        {
            state = unchecked(state + 0x9E3779B97F4A7C15UL);
            return DailyCatalog.Mix(state);
        }

        public double NextUnit() => (Next() >> 11) * (1.0 / (1UL << 53));
    }
}
