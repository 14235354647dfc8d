"""Writing the published mapping: HTML through Jinja2 with autoescaping,
and the Markdown, CSV and JSON files through small escaping functions.

Every piece of entry text is untrusted. The rules, one per format:
- HTML: Jinja2 autoescape is on for every template (``select_autoescape``
  with ``default=True``); no template uses ``|safe``; only http(s) URLs are
  rendered as ``href`` (``Link.safe``); a Content-Security-Policy forbids
  inline script and style, so even a slip could not run code.
- Markdown: ``md_text`` escapes everything that could start markup (pipes,
  brackets, HTML, emphasis) and folds newlines; links only for http(s).
- CSV: ``csv_cell`` prefixes ``'`` to cells a spreadsheet would run as a
  formula (= + - @, tab, carriage return).
- JSON: ``json.dumps`` (data, not markup).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from bot.site import model
from bot.site.model import FIELDS, Changelog, Row

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
SITE_TITLE = "Mapping of Internet public policy issues and cooperation mechanisms"
REPO_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
CORRECTION_TEMPLATE = "correct-entry.yml"


# ---------------------------------------------------------------------------
# Links to GitHub


@dataclass(frozen=True)
class Repository:
    """Where the registry lives on GitHub, for the history and correction
    links. ``None`` everywhere when unknown: the links are then left out."""

    name: str  # OWNER/NAME
    branch: str = "main"

    @classmethod
    def parse(cls, value: str | None, branch: str | None = None) -> "Repository | None":
        if not value:
            return None
        value = value.strip()
        if not REPO_PATTERN.match(value) or ".." in value:
            raise ValueError(f"`{value}` is not a GitHub repository name of the form OWNER/NAME")
        return cls(value, branch or "main")

    def correction_url(self, entry_id: str) -> str:
        query = urlencode({"template": CORRECTION_TEMPLATE, "entry": entry_id, "title": f"Correction: {entry_id}"}, quote_via=quote)
        return f"https://github.com/{self._path()}/issues/new?{query}"

    def history_url(self, entry_id: str) -> str:
        return f"https://github.com/{self._path()}/commits/{quote(self.branch, safe='')}/entries/{quote(entry_id, safe='')}.yaml"

    def source_url(self, entry_id: str) -> str:
        return f"https://github.com/{self._path()}/blob/{quote(self.branch, safe='')}/entries/{quote(entry_id, safe='')}.yaml"

    def _path(self) -> str:
        owner, name = self.name.split("/", 1)
        return f"{quote(owner, safe='')}/{quote(name, safe='')}"


# ---------------------------------------------------------------------------
# Jinja2


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["plural"] = plural
    env.filters["heat"] = model.heat_level
    env.tests["web_url"] = model.is_web_url
    env.globals.update(link=link_html, pending_badge=pending_badge_html, link_html=link_html, pending_badge_html=pending_badge_html)
    return env


# The two small pieces every table row and entry page repeats, in Python
# rather than as Jinja macros (a macro call costs ~20x more). Markup.format
# escape() is what autoescape applies; _macros.html calls these too.
_LINK = '<a href="%s" rel="external nofollow">%s</a>'
_UNLINKED = '<span class="unlinked">%s</span>'
_PENDING_BADGE = Markup(' <span class="badge badge-pending">Awaiting verification</span>')


def link_html(link: model.Link, label=None) -> Markup:
    """A link for an http(s) URL; any other URL as text, never a link."""
    if link.safe:
        return Markup(_LINK % (escape(link.url), escape(label or link.text)))
    return Markup(_UNLINKED % escape(link.url))


def pending_badge_html(row) -> Markup:
    return _PENDING_BADGE if row.pending else Markup("")


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each folded to one line."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def plural(n: int, singular: str, many: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else (many or singular + 's')}"


# ---------------------------------------------------------------------------
# Markdown


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def md_text(text) -> str:
    """Plain text that renders as itself in a GitHub Markdown table cell."""
    text = " ".join(str(text).split())  # no newline may end a table row
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # A leading hyphen, dot or equals after digits could start a list or
    # heading only at line start; cells never start a line, but the
    # changelog's bullet items do: escape there too.
    return text


def md_url(url: str) -> str:
    """A URL safe inside ``(...)`` of a Markdown link."""
    return "".join(f"%{ord(c):02X}" if c in " ()<>|\\`\"'[]" else c for c in url)


def md_link(link: model.Link) -> str:
    if link.safe:
        return f"[{md_text(link.text)}]({md_url(link.url)})"
    return md_text(link.url)


def render_markdown(groups, rows, pending: int, omitted) -> str:
    out = [f"# {SITE_TITLE}", ""]
    out.append(
        f"{plural(len(rows), 'mechanism')}, grouped by cluster and issue area. Each mechanism appears once, under its "
        "first issue area; the other issue areas it covers list it under \"Also on this issue\"."
    )
    if pending:
        out += ["", f"{plural(pending, 'entry', 'entries')} marked **(awaiting verification)** have not yet been checked against their sources."]
    if omitted:
        out += ["", f"**{plural(len(omitted), 'entry', 'entries')} left out because of errors.**"]
    out.append("")
    header = "| Mechanism | Organisations | Scope | Issue areas | Description | Links | Verification |"
    rule = "|---|---|---|---|---|---|---|"
    for cluster in groups:
        out += [f"## {md_text(cluster.title)}", ""]
        for issue in cluster.issues:
            out += [f"### {md_text(issue.title)}", ""]
            if issue.rows:
                out += [header, rule]
                for row in issue.rows:
                    name = md_text(row.title)
                    if row.pending:
                        name += " **(awaiting verification)**"
                    scope = md_text(row.scope_title + (": " + ", ".join(row.regions) if row.regions else ""))
                    out.append(
                        "| "
                        + " | ".join(
                            (
                                name,
                                md_text("; ".join(row.organizations)),
                                scope,
                                md_text("; ".join(row.issue_titles)),
                                md_text(row.summary),
                                ", ".join(md_link(link) for link in row.links),
                                "awaiting verification" if row.pending else md_text(row.verification or "not recorded"),
                            )
                        )
                        + " |"
                    )
                out.append("")
            if issue.also:
                out += ["Also on this issue: " + "; ".join(md_text(r.title) for r in issue.also) + ".", ""]
            if not issue.rows and not issue.also:
                out += ["No mechanism recorded yet.", ""]
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------------------
# CSV and JSON


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    stripped = text.lstrip(" \n")
    if stripped.startswith(_FORMULA_START) or text.startswith(_FORMULA_START):
        return "'" + text
    return text


def field_text(name: str, value) -> str:
    """One field as a single spreadsheet cell."""
    if value is None:
        return ""
    if name == "stakeholders" and isinstance(value, dict):
        return "; ".join(f"{g}: {lvl}" for g, lvl in value.items())
    if name == "gaps" and isinstance(value, list):
        return "\n".join(
            f"{g.get('type', '')}" + (f" [{g['issue_area']}]" if g.get("issue_area") else "") + f": {g.get('note', '')}"
            for g in value
            if isinstance(g, dict)
        )
    if name == "sources" and isinstance(value, list):
        parts = []
        for s in value:
            if isinstance(s, dict):
                text = f"{s.get('type', '')}: {s.get('title', '')}"
                if s.get("date"):
                    text += f" ({s['date']})"
                if s.get("url"):
                    text += f" <{s['url']}>"
                parts.append(text)
        return "\n".join(parts)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def render_csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([csv_cell(field_text(name, row.data.get(name))) for name in FIELDS])
    return buffer.getvalue()


def entry_json(row: Row) -> dict:
    return {name: row.data.get(name) for name in FIELDS}


def render_json(rows, changelog: Changelog) -> str:
    payload = {
        "title": SITE_TITLE,
        "fields": list(FIELDS),
        "count": len(rows),
        "awaiting_verification": sum(1 for r in rows if r.pending),
        "since": changelog.since,
        "entries": [entry_json(r) for r in rows],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def render_coverage_json(cov: model.Coverage) -> str:
    def matrix(m: model.Matrix):
        return {
            "title": m.title,
            "columns": [slug for slug, _ in m.columns],
            "rows": {r.slug: {"total": r.total, **dict(zip((s for s, _ in m.columns), r.cells))} for r in m.rows},
        }

    payload = {
        "stakeholders": matrix(cov.stakeholders),
        "scope": matrix(cov.scope),
        "gaps": matrix(cov.gaps),
        "issue_areas_without_mechanism": [slug for slug, _ in cov.uncovered],
        "gaps_by_type": {g.type: len(g.items) for g in cov.gap_groups},
    }
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


# ---------------------------------------------------------------------------
# Changelog (plain text: a secretariat forwards it to a mailing list)


def render_changes_text(log: Changelog, total: int, date: str, site_url: str | None = None) -> str:
    lines = [f"Changes to the mapping of Internet public policy issues and cooperation mechanisms ({date})", ""]
    if log.first:
        lines.append("This is the first publication of the mapping: there is no earlier publication to compare with.")
        if log.note:
            lines.append(f"({log.note[0].upper() + log.note[1:]}.)")
        lines += ["", f"The mapping now lists {plural(total, 'mechanism')}."]
    else:
        lines.append(f"Since the previous publication ({log.since}):")
        lines.append("")
        if log.empty:
            lines.append("No mechanism was added, changed or removed.")
        for title, items in (("Added", log.added), ("Changed", log.changed), ("Removed", log.removed)):
            if not items:
                continue
            lines += [f"{title} ({len(items)}):"]
            for change in items:
                text = f"- {_plain(change.name)} ({change.id})"
                if change.fields:
                    text += ": " + ", ".join(change.fields)
                if change.note:
                    text += f": {change.note}"
                lines.append(text)
            lines.append("")
        lines += ["", f"The mapping now lists {plural(total, 'mechanism')}."]
    if site_url:
        lines.append(f"Full mapping: {site_url}")
    return "\n".join(lines).rstrip() + "\n"


def _plain(text: str) -> str:
    """One line of printable text (names come from entries)."""
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------
# The whole site


@dataclass
class Omitted:
    path: str
    reasons: tuple[str, ...]


@dataclass
class SiteData:
    rows: list
    vocab: object
    changelog: Changelog
    date: str  # the build date, YYYY-MM-DD (passed in, never read here)
    repo: Repository | None = None
    omitted: list = field(default_factory=list)


def write_site(data: SiteData, out: Path, *, jobs: int | None = None) -> dict[str, int]:
    """Write every output into ``out`` (created if missing; files this
    build owns are replaced). Returns a count of files per kind.

    ``jobs``: processes for the entry pages (default: one per core; the
    pages are the same, byte for byte, whatever the number)."""
    out = Path(out)
    rows = model.sort_rows(data.rows)
    vocab = data.vocab
    groups = model.group_rows(rows, vocab)
    cov = model.coverage(rows, vocab)
    pending = sum(1 for r in rows if r.pending)
    env = environment()
    common = {
        "site_title": SITE_TITLE,
        "total": len(rows),
        "pending": pending,
        "date": data.date,
        "repo": data.repo,
        "omitted": data.omitted,
        "changelog": data.changelog,
    }
    common["omitted_notice"] = Markup(env.get_template("_omitted.html").render(**common))
    out.mkdir(parents=True, exist_ok=True)
    entries_dir = out / "entries"
    if entries_dir.is_dir():
        shutil.rmtree(entries_dir)  # pages of removed entries must go
    entries_dir.mkdir()
    static_out = out / "static"
    static_out.mkdir(exist_ok=True)
    for asset in STATIC.iterdir():
        if asset.is_file():
            shutil.copyfile(asset, static_out / asset.name)

    def index_html():
        return env.get_template("index.html").render(
            **common,
            base="",
            section="table",
            groups=groups,
            clusters=vocab.clusters,
            issue_areas=vocab.issue_areas,
            groups_vocab=vocab.stakeholder_groups,
            scopes=[(s, model.SCOPE_TITLES[s]) for s in model.SCOPES],
            covered=sum(1 for t in vocab.issue_areas if t.slug not in {u for u, _ in cov.uncovered}),
        )

    by_id = sorted(rows, key=lambda r: r.id)  # data files: stable order, small diffs
    # Every output is a task (the entry pages in ordered chunks); tasks are
    # spread over forked worker processes, heaviest first. Each file is
    # made from the same data whichever process writes it.
    files = {
        "index.html": index_html,
        "mapping.json": lambda: render_json(by_id, data.changelog),
        "mapping.md": lambda: render_markdown(groups, rows, pending, data.omitted),
        "mapping.csv": lambda: render_csv(by_id),
        "coverage.html": lambda: env.get_template("coverage.html").render(**common, base="", section="coverage", cov=cov, vocab=vocab),
        "changes.html": lambda: env.get_template("changes.html").render(**common, base="", section="changes", rows_by_id={r.id: r for r in rows}),
        "changes.md": lambda: render_changes_text(data.changelog, len(rows), data.date),
        "coverage.json": lambda: render_coverage_json(cov),
        ".nojekyll": lambda: "",
    }
    for name in ("index.html", "coverage.html", "changes.html"):
        env.get_template(name)  # compiled once, before the workers fork
    _run_tasks(env, common, rows, out, vocab.stakeholder_groups, files, jobs)
    return {"entry pages": len(rows), "files": len(rows) + 9}


# Below this many pages, starting processes costs more than it saves.
PAGES_PARALLEL_THRESHOLD = 400
_PAGES: dict = {}


def _render_pages(span) -> list[tuple[str, bytes]]:
    """The entry pages of ``rows[start:stop]``: (file name, UTF-8 bytes)."""
    page, common, rows, all_groups = _PAGES["page"], _PAGES["common"], _PAGES["rows"], _PAGES["all_groups"]
    start, stop = span
    out = []
    for row in rows[start:stop]:
        if not model.SAFE_ID.match(row.id):  # never a path outside entries/
            continue
        recorded = {p.group for p in row.stakeholders}
        text = page.render(
            **common,
            base="../",
            section="entry",
            row=row,
            not_recorded=[t.title for t in all_groups if t.slug not in recorded],
        )
        out.append((f"entries/{row.id}.html", text.encode("utf-8")))
    return out


def _render_task(task) -> list[tuple[str, bytes]]:
    """One task's files, rendered (in a worker forked with everything it
    needs in ``_PAGES``, or in this process), not written."""
    if task[0] == "pages":
        return _render_pages(task[1:])
    return [(task[1], _PAGES["files"][task[1]]().encode("utf-8"))]


def _write_bytes(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _run_tasks(env, common, rows, out, all_groups, files, jobs) -> None:
    """Render ``files`` (name -> function giving the text) and the entry
    pages over ``jobs`` forked processes (default: one per core), or here for
    a small registry or without fork; this process writes every file as the
    results come. One writer: two processes creating files in the same
    folder contend for its lock, and file creation is most of the cost of a
    page on a busy disk."""
    from bot.fastcheck import default_jobs

    jobs = default_jobs() if jobs is None else max(1, jobs)
    n = len(rows)
    size = max(50, min(250, n // (jobs * 8) or 1))
    tasks = [("file", name) for name in files] + [("pages", i, min(n, i + size)) for i in range(0, n, size)]
    _PAGES.update(page=env.get_template("entry.html"), common=common, rows=rows, all_groups=all_groups, files=files)
    try:
        mp = None
        if jobs > 1 and n >= PAGES_PARALLEL_THRESHOLD:
            import multiprocessing

            try:
                mp = multiprocessing.get_context("fork")
            except ValueError:  # pragma: no cover - no fork on this platform
                mp = None
        if mp is None:
            for task in tasks:
                for name, data in _render_task(task):
                    _write_bytes(out / name, data)
            return
        with mp.Pool(jobs) as pool:
            for part in pool.imap_unordered(_render_task, tasks):
                for name, data in part:
                    _write_bytes(out / name, data)
    finally:
        _PAGES.clear()


def copy_tree_size(out: Path) -> int:
    return sum(f.stat().st_size for f in Path(out).rglob("*") if f.is_file())

