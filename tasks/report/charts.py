"""The charts of each report on the report page, drawn from the report's rows (pure).

charts(name, rows, lookup) returns the chart blocks (heading + inline SVG) for one report,
or "" when the report has none or no rows.
"""
from __future__ import annotations

from collections import defaultdict

from tasks.report.cells import DocLink, esc, language_name, number
from tasks.report.svg_charts import PALETTE, Bar, bar_chart, column_chart

TOP = 15  # bars of a ranking chart
ENTITY_PANELS = (("PERSON", "People"), ("ORG", "Organisations"), ("GPE", "Places"), ("NORP", "Groups"))
CONFLICT_KEY = ("story_id", "subject", "kind", "unit")  # sql/reports/conflicting_amounts.sql: one conflict
GREY = "#9aa5b1"
MAX_CONFLICTS, MAX_VALUES = 6, 5  # conflicts drawn, values drawn per conflict
PARTIAL = {"conflicting_amounts", "quotes_by_speaker", "unique_contributions"}  # charts that aggregate the rows shown


def charts(name: str, rows: list[dict], lookup: dict[str, DocLink], n_rows: int | None = None) -> str:
    """n_rows: the report's row count; when the rows are only its first ones, the titles say so."""
    draw = DRAWERS.get(name)
    if not (draw and rows):
        return ""
    part = f" (among its first {len(rows):,} of {n_rows:,} rows)" if n_rows is not None and n_rows > len(rows) else ""
    return "".join(_block(title + (part if name in PARTIAL else ""), svg) for title, svg in draw(rows, lookup) if svg)


def _block(title: str, svg: str) -> str:
    return f"<figure style='margin:0'><h3>{esc(title)}</h3>{svg}</figure>"


def _languages(rows, lookup):
    bars = [Bar(language_name(r["lang"]), r["n_documents"], _share(r.get("share")),
                color=GREY if str(r["lang"]).startswith("status:") else PALETTE[0]) for r in rows[:TOP]]
    yield "Documents per language", bar_chart(bars, "Documents per language")


def _outlets(rows, lookup):
    bars = [Bar(r["outlet"], r["n_documents"], color=GREY if r["outlet"] == "(outlet unknown)" else PALETTE[0])
            for r in rows[:TOP]]
    yield "Documents per outlet" + (f" (top {TOP})" if len(rows) > TOP else ""), bar_chart(bars, "Documents per outlet")


def _stories(rows, lookup):
    bars = [Bar(_label(r), r["n_documents"], f"{r['n_outlets']} outlet{'s' if r['n_outlets'] != 1 else ''}",
                tooltip=f"{_label(r)} ({r.get('outlets') or ''})", color=PALETTE[2]) for r in rows[:TOP]]
    yield "Documents per story" + (f" (largest {TOP})" if len(rows) > TOP else ""), bar_chart(bars, "Documents per story", label_chars=60)


def _label(story: dict) -> str:
    return str(story.get("label") or story.get("headline") or story["story_id"])


def _claims_by_outlets(rows, lookup):
    shared = [r for r in rows if r["n_outlets"] >= 2][:12]
    single = sum(r["n_claims"] for r in rows if r["n_outlets"] < 2)
    bars = [Bar(f"{r['n_outlets']} outlets", r["n_claims"], _share(r.get("share")), color=PALETTE[1]) for r in shared]
    if not bars:  # nothing is shared: the one column says so
        bars = [Bar("1 outlet", single, _share(1.0), color=GREY)]
        yield "Claims by number of outlets carrying them", column_chart(bars, "Claims by number of outlets")
        return
    yield (f"Claims carried by 2 or more outlets ({single:,} more are in one outlet only)",
           column_chart(bars, "Claims by number of outlets"))


def _share(share) -> str:
    """A bar's share: as report cells write it (number) under 10%, in whole percents from there."""
    if share is None:
        return ""
    return number(share, share=True) if share < 0.1 else f"{share:.0%}"


def conflict_groups(rows: list[dict]) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[tuple(r.get(k) for k in CONFLICT_KEY)].append(r)
    return groups


def conflict_count(rows: list[dict], n_rows: int) -> tuple[int, bool]:
    """(conflicts among the rows, whether that is all of them: the report may have more rows)."""
    return len(conflict_groups(rows)), n_rows == len(rows)


def _conflicts(rows, lookup):
    """The conflicts where most documents disagree first: ranked by the support of their second value."""
    def disagreement(kv):
        support = sorted((r["n_documents"] for r in kv[1]), reverse=True)
        return (-support[1] if len(support) > 1 else 0, -sum(support), len(support))

    bars = []
    for key, values in sorted(conflict_groups(rows).items(), key=disagreement)[:MAX_CONFLICTS]:
        story_id, subject, kind, unit = key
        values = sorted(values, key=lambda r: (-r["n_documents"], r["value"]))
        more = f", {len(values) - MAX_VALUES} more not drawn" if len(values) > MAX_VALUES else ""
        story = lookup.get(f"story:{story_id}") if story_id is not None else None
        within = f" in the story “{story.headline}”" if story and story.headline else ""
        heading = f"{subject} ({unit or kind}){within}: {len(values)} values{more}"
        for i, r in enumerate(values[:MAX_VALUES]):
            n = r["n_documents"]
            bars.append(Bar(f"{number(r['value'])} {unit or ''}".strip(), n, "document" if n == 1 else "documents",
                            tooltip=str(r.get("as_written") or ""), group=heading, color=PALETTE[(i + 1) % len(PALETTE)]))
    yield "Conflicting figures: documents giving each value", bar_chart(bars, "Conflicting figures")


def _quotes(rows, lookup):
    per_speaker: dict[str, int] = defaultdict(int)
    for r in rows:
        per_speaker[r["speaker"]] += r["n_quotes"]
    unattributed = per_speaker.pop("(unattributed)", 0)
    top = sorted(per_speaker.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    bars = [Bar(s, n, color=PALETTE[4]) for s, n in top]
    note = f" ({unattributed:,} quotes without a speaker not drawn)" if unattributed else ""
    yield "Quotes per speaker" + note, bar_chart(bars, "Quotes per speaker")


def _entities(rows, lookup):
    for i, (label, title) in enumerate(ENTITY_PANELS):
        mine = [r for r in rows if r["label"] == label][:10]
        bars = [Bar(r["canonical"], r["n_documents"], tooltip=f"{r['canonical']}: {r['n_documents']} documents, "
                    f"{r['n_mentions']} mentions ({r.get('surface_forms') or ''})", color=PALETTE[i]) for r in mine]
        yield f"{title} (documents mentioning them)", bar_chart(bars, title, width=420, label_chars=26)


def _unique(rows, lookup):
    per_doc: dict[tuple, dict] = {}
    for r in rows:
        per_doc.setdefault((r.get("bundle_id"), r.get("source_path")), r)
    top = sorted(per_doc.values(), key=lambda r: (-(r["n_unique_sentences"] or 0), str(r.get("headline"))))[:TOP]
    bars = [Bar(f"{r.get('outlet') or ''} · {r.get('headline') or r.get('source_path')}".lstrip(" ·"),
                r["n_unique_sentences"], f"of {r['n_sentences']} sentences", color=PALETTE[3]) for r in top]
    yield "Sentences only this document has", bar_chart(bars, "Unique sentences per document", label_chars=60)


DRAWERS = {
    "languages": _languages,
    "outlets": _outlets,
    "stories_overview": _stories,
    "claims_by_outlets": _claims_by_outlets,
    "conflicting_amounts": _conflicts,
    "quotes_by_speaker": _quotes,
    "top_entities": _entities,
    "unique_contributions": _unique,
}
