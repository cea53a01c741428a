#!/usr/bin/env python3
"""Registry coverage on the bundled snapshot's last time (the run the overview shows), by uploader.

Usage, from the repository root:  python3 scripts/registry_coverage.py [--top N] [--registry seeds/labs.json]

Prints the 30-day downloads whose uploader namespace is in the registry, by region and country, and the top N
unattributed namespaces. Same rules as the app and docs/methodology.md: namespaces match case-insensitively; a
namespace outside the registry is Community.
"""
import argparse, collections, csv, gzip, json

CHINA = {"CN", "HK", "MO"}
EUROPE = set("AD AL AT BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD "
             "ME MK MT NL NO PL PT RO RS SE SI SK SM UA VA XK".split())


def region(country):
    if country is None:
        return "Community"
    return "US" if country == "US" else "China" if country in CHINA else "Europe" if country in EUROPE else "Other"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry", default="seeds/labs.json")
    parser.add_argument("--snapshot", default="seeds/hub-snapshot-2026-08/")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--origin", action="store_true", help="also the origin view (walk up first parents)")
    args = parser.parse_args()

    labs = json.load(open(args.registry))["labs"]
    by_ns = {n.lower(): lab for lab in labs for n in lab["namespaces"]}
    models = {m["id"]: m for m in map(json.loads, gzip.open(args.snapshot + "models.jsonl.gz", "rt"))}
    history = list(csv.DictReader(gzip.open(args.snapshot + "history.csv.gz", "rt")))
    last = max(r["at"] for r in history)
    rows = [(r["id"], int(r["downloads30d"])) for r in history if r["at"] == last]
    total = sum(d for _, d in rows)

    def pct(x):
        return f"{100 * x / total:.2f}%"

    by_region, by_country, missing, missing_models = (collections.Counter() for _ in range(4))
    labs_seen = set()
    for model_id, downloads in rows:
        author = models[model_id]["author"]
        lab = by_ns.get(author.lower())
        by_region[region(lab["country"] if lab else None)] += downloads
        if lab:
            by_country[lab["country"]] += downloads
            labs_seen.add(lab["id"])
        else:
            missing[author] += downloads
            missing_models[author] += 1

    namespaces = sum(len(lab["namespaces"]) for lab in labs)
    authors = len({models[i]["author"] for i, _ in rows})
    print(f"registry: {len(labs)} labs, {namespaces} namespaces; {len(labs_seen)} labs have models at the last time")
    print(f"as of {last}: {len(rows):,} models by {authors:,} authors, {total:,} downloads (30 days)")
    print(f"in the registry (by uploader): {total - by_region['Community']:,} {pct(total - by_region['Community'])}")
    for name in ["China", "US", "Europe", "Other", "Community"]:
        print(f"  {name}: {by_region[name]:,} {pct(by_region[name])}")
    print("by country:", ", ".join(f"{c} {pct(v)}" for c, v in by_country.most_common()))
    if args.origin:
        origin_report(models, {r["id"] for r in history}, rows, by_ns, total, pct)
    print(f"top {args.top} unattributed namespaces:")
    for rank, (author, downloads) in enumerate(missing.most_common(args.top), 1):
        print(f"  {rank} {author} {downloads:,} {pct(downloads)} ({missing_models[author]} models)")


def first_parent(model):
    """The first well-formed base_model:[RELATION:]ORG/NAME tag, else the card's baseModel (as SnapshotClaimsTests)."""
    declared = model.get("baseModel")
    for tag in model["tags"] + (["base_model:" + declared] if declared else []):
        if not tag.startswith("base_model:"):
            continue
        parts = tag[len("base_model:"):].split(":")
        parent = parts[0] if len(parts) == 1 else parts[1] if len(parts) == 2 and parts[0] in ("finetune", "quantized", "adapter", "merge") else None
        if parent and parent.count("/") == 1 and not parent.startswith("/") and not parent.endswith("/") and " " not in parent:
            return parent
    return None


def origin_report(models, stored, rows, by_ns, total, pct):
    """Origin attribution on the snapshot alone: a chain ends at a parent the file lacks; a loop has no origin."""
    parents = {i: first_parent(m) for i, m in models.items() if i in stored}

    def origin(model_id):
        path, current = {model_id}, model_id
        while (parent := parents.get(current)) is not None:
            if parent in path or len(path) >= 64:
                return None
            path.add(parent)
            current = parent
        return current

    by_region, unknown_roots = collections.Counter(), collections.Counter()
    for model_id, downloads in rows:
        root = origin(model_id)
        lab = by_ns.get(root.split("/")[0].lower()) if root else None
        by_region["Unknown" if lab is None else region(lab["country"])] += downloads
        if lab is None and root:
            unknown_roots[root.split("/")[0]] += downloads
    known = total - by_region["Unknown"]
    print(f"by origin, known country: {known:,} {pct(known)}")
    for name in ["China", "US", "Europe", "Other", "Unknown"]:
        print(f"  {name}: {by_region[name]:,} {pct(by_region[name])}")
    print("  top unknown roots:", ", ".join(f"{a} {pct(v)}" for a, v in unknown_roots.most_common(8)))


if __name__ == "__main__":
    main()
