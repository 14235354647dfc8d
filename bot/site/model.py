"""The mapping as pure data: rows, grouping, coverage matrices, gaps and the
changelog diff. No I/O, no clock, no markup: everything here is data in, data
out, so that the tests can check the numbers without rendering anything.

Entry text is untrusted. This module keeps it as plain strings; each output
format escapes it at the last moment (HTML autoescape, CSV formula prefix,
Markdown escaping) and only ``Link.safe`` URLs ever become links.
"""

from __future__ import annotations

import re
from functools import cached_property
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.vocabularies import Vocabularies

# Stable order of the fields in mapping.csv / mapping.json: the schema's order.
FIELDS = (
    "id",
    "name",
    "acronym",
    "organizations",
    "issue_areas",
    "scope",
    "regions",
    "countries",
    "description",
    "urls",
    "last_reviewed",
    "stakeholders",
    "mechanism_type",
    "status",
    "start_date",
    "gaps",
    "sources",
    "verification",
)
SCOPES = ("national", "regional", "international")
SCOPE_TITLES = {"national": "National", "regional": "Regional", "international": "International"}
# Levels that count as "takes part" in the coverage matrix and the
# stakeholder filter; `none` is recorded absence, and a missing group is
# "not recorded": neither counts.
TAKING_PART = ("member", "observer", "consulted")
PENDING = "pending"
SAFE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SUMMARY_CHARS = 600


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    # Only absolute http(s) URLs with a host become links; anything else
    # (``javascript:``, ``data:``, relative paths) is shown as text. Decided
    # once, where the link is made (the worker that makes the row), and sent
    # with it: every output asks.
    safe: bool = field(init=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "safe", is_web_url(self.url))


def is_web_url(url) -> bool:
    if not isinstance(url, str) or any(c in url for c in "\r\n\t\x00 <>\"'`\\"):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and url[:8].lower().startswith(("http://", "https://"))


def link_text(url: str) -> str:
    """A short label for a URL: its host (and path start), for tables."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    return host or url


@dataclass(frozen=True)
class Gap:
    type: str
    type_title: str
    issue_area: str | None
    issue_title: str | None
    note: str


@dataclass(frozen=True)
class Source:
    type: str
    type_title: str
    title: str
    url: str | None
    date: str | None
    note: str | None

    @cached_property  # frozen: one Link (and one URL check) per source
    def link(self) -> Link | None:
        return Link(self.url, self.title) if self.url else None


@dataclass(frozen=True)
class Participation:
    group: str
    group_title: str
    level: str
    level_title: str


@dataclass(frozen=True)
class Row:
    """One published mechanism, with the titles readers see."""

    id: str
    path: str
    name: str
    acronym: str | None
    organizations: tuple[str, ...]
    issue_areas: tuple[str, ...]
    issue_titles: tuple[str, ...]
    clusters: tuple[str, ...]
    scope: str
    scope_title: str
    regions: tuple[str, ...]  # titles
    countries: tuple[str, ...]
    description: str
    links: tuple[Link, ...]
    last_reviewed: str
    stakeholders: tuple[Participation, ...]
    mechanism_type: str | None
    mechanism_type_title: str | None
    status: str | None
    status_title: str | None
    start_date: str | None
    gaps: tuple[Gap, ...]
    sources: tuple[Source, ...]
    verification: str | None
    data: dict = field(compare=False, repr=False)

    @property
    def pending(self) -> bool:
        return self.verification == PENDING

    @property
    def primary_issue(self) -> str:
        return self.issue_areas[0]

    @property
    def taking_part(self) -> tuple[str, ...]:
        return tuple(p.group for p in self.stakeholders if p.level in TAKING_PART)

    @cached_property  # frozen: asked by the table (twice) and mapping.md
    def summary(self) -> str:
        return summarise(self.description)

    @property
    def summary_is_short(self) -> bool:
        return self.summary != " ".join(self.description.split())

    @property
    def title(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym not in self.name else self.name


def summarise(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first paragraph, cut at a word boundary near ``limit`` characters."""
    first = re.split(r"\n\s*\n", text.strip(), maxsplit=1)[0]
    first = " ".join(first.split())
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _strings(value) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str))


def _opt(value) -> str | None:
    return value if isinstance(value, str) and value else None


class _Titles:
    """``vocab.title`` and ``vocab.cluster_of`` as dictionary look-ups (the
    first term with a slug wins, as there), made once per vocabularies."""

    def __init__(self, vocab: Vocabularies):
        self.tables: dict = {}
        self.clusters: dict = {}
        for term in reversed(vocab.issue_areas):
            self.clusters[term.slug] = term.cluster
        self.vocab = vocab

    def title(self, name: str, slug: str) -> str:
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = {t.slug: t.title for t in reversed(self.vocab.terms(name))}
        return table.get(slug, slug)

    def cluster_of(self, issue_area: str) -> str | None:
        return self.clusters.get(issue_area)


_TITLES: list = [None]  # the last vocabularies' look-ups (one slot: no growth in a long-lived process)


def _titles(vocab: Vocabularies) -> _Titles:
    found = _TITLES[0]
    if found is None or found.vocab is not vocab:
        found = _TITLES[0] = _Titles(vocab)
    return found


def make_row(data: dict, path: str, vocabularies: Vocabularies) -> Row:
    """A row from a *valid* entry's data (the caller has checked it)."""
    vocab = _titles(vocabularies)
    issues = _strings(data.get("issue_areas"))
    clusters = []
    for slug in issues:
        cluster = vocab.cluster_of(slug)
        if cluster and cluster not in clusters:
            clusters.append(cluster)
    stakeholders = data.get("stakeholders") if isinstance(data.get("stakeholders"), dict) else {}
    group_order = {t.slug: i for i, t in enumerate(vocabularies.stakeholder_groups)}
    participations = tuple(
        Participation(g, vocab.title("stakeholder-groups", g), lvl, vocab.title("participation-levels", lvl))
        for g, lvl in sorted(stakeholders.items(), key=lambda kv: group_order.get(kv[0], 99))
        if isinstance(lvl, str)
    )
    gaps = []
    for gap in data.get("gaps") or ():
        if isinstance(gap, dict):
            issue = _opt(gap.get("issue_area"))
            gaps.append(
                Gap(
                    str(gap.get("type", "")),
                    vocab.title("gap-types", str(gap.get("type", ""))),
                    issue,
                    vocab.title("issue-areas", issue) if issue else None,
                    str(gap.get("note", "")),
                )
            )
    sources = []
    for src in data.get("sources") or ():
        if isinstance(src, dict):
            sources.append(
                Source(
                    str(src.get("type", "")),
                    vocab.title("source-types", str(src.get("type", ""))),
                    str(src.get("title", "")),
                    _opt(src.get("url")),
                    _opt(src.get("date")),
                    _opt(src.get("note")),
                )
            )
    mtype, status = _opt(data.get("mechanism_type")), _opt(data.get("status"))
    return Row(
        id=str(data["id"]),
        path=path,
        name=str(data.get("name", "")),
        acronym=_opt(data.get("acronym")),
        organizations=_strings(data.get("organizations")),
        issue_areas=issues,
        issue_titles=tuple(vocab.title("issue-areas", s) for s in issues),
        clusters=tuple(clusters),
        scope=str(data.get("scope", "")),
        scope_title=SCOPE_TITLES.get(str(data.get("scope", "")), str(data.get("scope", ""))),
        regions=tuple(vocab.title("regions", r) for r in _strings(data.get("regions"))),
        countries=_strings(data.get("countries")),
        description=str(data.get("description", "")),
        links=tuple(Link(u, link_text(u)) for u in _strings(data.get("urls"))),
        last_reviewed=str(data.get("last_reviewed", "")),
        stakeholders=participations,
        mechanism_type=mtype,
        mechanism_type_title=vocab.title("mechanism-types", mtype) if mtype else None,
        status=status,
        status_title=vocab.title("statuses", status) if status else None,
        start_date=_opt(data.get("start_date")),
        gaps=tuple(gaps),
        sources=tuple(sources),
        verification=_opt(data.get("verification")),
        data=data,
    )


def sort_rows(rows) -> list[Row]:
    return sorted(rows, key=lambda r: (r.name.casefold(), r.id))


# ---------------------------------------------------------------------------
# Grouping: cluster -> issue -> rows, as in the original table


@dataclass(frozen=True)
class IssueGroup:
    slug: str
    title: str
    rows: tuple[Row, ...]  # mechanisms whose first issue area is this one
    also: tuple[Row, ...]  # mechanisms that list it as a further issue area

    @property
    def count(self) -> int:
        return len(self.rows) + len(self.also)


@dataclass(frozen=True)
class ClusterGroup:
    slug: str
    title: str
    issues: tuple[IssueGroup, ...]

    @property
    def rows(self) -> int:
        return sum(len(i.rows) for i in self.issues)


def group_rows(rows, vocab: Vocabularies) -> tuple[ClusterGroup, ...]:
    """Each mechanism appears once, under its first issue area; the other
    issue groups it belongs to list it under "also" (with a link), so the
    table stays one row per mechanism and every issue group is complete."""
    primary: dict[str, list[Row]] = {}
    also: dict[str, list[Row]] = {}
    for row in sort_rows(rows):
        primary.setdefault(row.primary_issue, []).append(row)
        for slug in row.issue_areas[1:]:
            also.setdefault(slug, []).append(row)
    clusters = []
    for cluster in vocab.clusters:
        issues = tuple(
            IssueGroup(t.slug, t.title, tuple(primary.get(t.slug, ())), tuple(also.get(t.slug, ())))
            for t in vocab.issue_areas
            if t.cluster == cluster.slug
        )
        clusters.append(ClusterGroup(cluster.slug, cluster.title, issues))
    return tuple(clusters)


# ---------------------------------------------------------------------------
# Coverage and gaps


@dataclass(frozen=True)
class MatrixRow:
    slug: str
    title: str
    cluster: str
    total: int  # mechanisms with this issue area
    cells: tuple[int, ...]


@dataclass(frozen=True)
class Matrix:
    """Issue areas (rows) x columns: how many mechanisms of each issue area
    fall in each column."""

    title: str
    columns: tuple[tuple[str, str], ...]  # (slug, title)
    rows: tuple[MatrixRow, ...]

    @property
    def maximum(self) -> int:
        return max((c for r in self.rows for c in r.cells), default=0)

    def cell(self, issue: str, column: str) -> int:
        index = [c for c, _ in self.columns].index(column)
        for row in self.rows:
            if row.slug == issue:
                return row.cells[index]
        raise KeyError(issue)


def heat_level(count: int, maximum: int) -> int:
    """0 for none, then 1..4 by share of the largest cell: the CSS colour
    band. The number itself is always printed next to the colour."""
    if count <= 0 or maximum <= 0:
        return 0
    share = count / maximum
    if share > 0.75:
        return 4
    if share > 0.5:
        return 3
    if share > 0.25:
        return 2
    return 1


def _matrix(title, rows, vocab, columns, columns_of) -> Matrix:
    index = {slug: i for i, (slug, _) in enumerate(columns)}
    counts = {t.slug: [0] * len(columns) for t in vocab.issue_areas}
    totals = {t.slug: 0 for t in vocab.issue_areas}
    for row in rows:
        cols = [index[c] for c in columns_of(row) if c in index]
        for issue in row.issue_areas:
            if issue not in counts:
                continue
            totals[issue] += 1
            for i in cols:
                counts[issue][i] += 1
    return Matrix(
        title,
        tuple(columns),
        tuple(MatrixRow(t.slug, t.title, t.cluster or "", totals[t.slug], tuple(counts[t.slug])) for t in vocab.issue_areas),
    )


def stakeholder_matrix(rows, vocab: Vocabularies) -> Matrix:
    """Issue areas x stakeholder groups: mechanisms of each issue area in
    which the group takes part (member, observer or consulted)."""
    columns = tuple((t.slug, t.title) for t in vocab.stakeholder_groups)
    return _matrix("Stakeholder groups taking part", rows, vocab, columns, lambda r: set(r.taking_part))


def scope_matrix(rows, vocab: Vocabularies) -> Matrix:
    columns = tuple((s, SCOPE_TITLES[s]) for s in SCOPES)
    return _matrix("Scope", rows, vocab, columns, lambda r: (r.scope,))


def gap_matrix(rows, vocab: Vocabularies) -> Matrix:
    """Issue areas x gap types: gaps recorded for an issue area (a gap
    without an issue area counts for each issue area of its mechanism)."""
    columns = tuple((t.slug, t.title) for t in vocab.gap_types)
    index = {slug: i for i, (slug, _) in enumerate(columns)}
    counts = {t.slug: [0] * len(columns) for t in vocab.issue_areas}
    totals = {t.slug: 0 for t in vocab.issue_areas}
    for row in rows:
        for gap in row.gaps:
            issues = (gap.issue_area,) if gap.issue_area else row.issue_areas
            for issue in issues:
                if issue in counts and gap.type in index:
                    counts[issue][index[gap.type]] += 1
                    totals[issue] += 1
    return Matrix(
        "Recorded gaps",
        columns,
        tuple(MatrixRow(t.slug, t.title, t.cluster or "", totals[t.slug], tuple(counts[t.slug])) for t in vocab.issue_areas),
    )


def uncovered_issues(rows, vocab: Vocabularies) -> tuple[tuple[str, str], ...]:
    """Issue areas that no published mechanism lists: (slug, title)."""
    covered = {slug for row in rows for slug in row.issue_areas}
    return tuple((t.slug, t.title) for t in vocab.issue_areas if t.slug not in covered)


@dataclass(frozen=True)
class GapGroup:
    type: str
    title: str
    help: str
    items: tuple[tuple[Row, Gap], ...]


def gaps_by_type(rows, vocab: Vocabularies) -> tuple[GapGroup, ...]:
    found: dict[str, list] = {}
    for row in sort_rows(rows):
        for gap in row.gaps:
            found.setdefault(gap.type, []).append((row, gap))
    return tuple(GapGroup(t.slug, t.title, t.help, tuple(found.get(t.slug, ()))) for t in vocab.gap_types)


@dataclass(frozen=True)
class Coverage:
    stakeholders: Matrix
    scope: Matrix
    gaps: Matrix
    uncovered: tuple[tuple[str, str], ...]
    gap_groups: tuple[GapGroup, ...]
    clusters: tuple[tuple[str, str], ...]


def coverage(rows, vocab: Vocabularies) -> Coverage:
    rows = list(rows)
    return Coverage(
        stakeholder_matrix(rows, vocab),
        scope_matrix(rows, vocab),
        gap_matrix(rows, vocab),
        uncovered_issues(rows, vocab),
        gaps_by_type(rows, vocab),
        tuple((c.slug, c.title) for c in vocab.clusters),
    )


# ---------------------------------------------------------------------------
# Changelog: what changed since the previous publication


@dataclass(frozen=True)
class Change:
    id: str
    name: str
    fields: tuple[str, ...] = ()  # for changed entries: which fields
    note: str = ""


@dataclass(frozen=True)
class Changelog:
    since: str | None  # the tag or ref compared with; None: first publication
    added: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    note: str = ""  # why there is no comparison, when there is none

    @property
    def first(self) -> bool:
        return self.since is None

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def changed_fields(old: dict, new: dict) -> tuple[str, ...]:
    """Top-level fields whose values differ, in the published field order."""
    keys = [k for k in FIELDS if k in old or k in new]
    keys += sorted((set(old) | set(new)) - set(FIELDS))
    return tuple(k for k in keys if old.get(k) != new.get(k))


def diff_entries(since: str, old: dict[str, dict | None], new: dict[str, dict], unchanged: set[str] | frozenset = frozenset()) -> Changelog:
    """Compare the entries at ``since`` with the ones published now.

    ``old`` maps id -> data at ``since`` (None when that version could not be
    read); ``new`` maps id -> data now. Ids in ``unchanged`` are known to be
    identical (git said so) and are skipped without comparing."""
    added, changed, removed = [], [], []
    for entry_id in sorted(new):
        if entry_id in unchanged:
            continue
        data = new[entry_id]
        name = str(data.get("name", entry_id))
        if entry_id not in old:
            added.append(Change(entry_id, name))
            continue
        before = old[entry_id]
        if before is None:
            changed.append(Change(entry_id, name, (), "the previous version could not be read"))
            continue
        fields = changed_fields(before, data)
        if fields:
            changed.append(Change(entry_id, name, fields))
    for entry_id in sorted(set(old) - set(new)):
        before = old[entry_id] or {}
        removed.append(Change(entry_id, str(before.get("name", entry_id))))
    return Changelog(since, tuple(added), tuple(changed), tuple(removed))


def first_publication(note: str = "") -> Changelog:
    return Changelog(None, note=note)
