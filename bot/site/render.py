"""Writing the published mapping: HTML through Jinja2 with autoescaping,
and the Markdown, CSV and JSON files through small escaping functions.

Every piece of entry text is untrusted. The rules, one per format:
- HTML: Jinja2 autoescape is on for every template (``select_autoescape``
  with ``default=True``); no template uses ``|safe``; the few pieces made
  in Python (links, the pending badge, the rows of the index table) pass
  every value through ``escape``, as autoescape does; only http(s) URLs are
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
import math
import os
import re
import shutil
from dataclasses import dataclass, field
from functools import cached_property
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

    # Every entry page has three of these links: ids that need no quoting
    # (the only ones with a page, model.SAFE_ID) skip urllib's quoting, and
    # the repository's part is quoted once. The same URLs, sooner.
    def correction_url(self, entry_id: str) -> str:
        if model.SAFE_ID.match(entry_id):
            query = f"template={_CORRECTION_TEMPLATE_Q}&entry={entry_id}&title=Correction%3A%20{entry_id}"
        else:
            query = urlencode({"template": CORRECTION_TEMPLATE, "entry": entry_id, "title": f"Correction: {entry_id}"}, quote_via=quote)
        return f"{self._base}/issues/new?{query}"

    def history_url(self, entry_id: str) -> str:
        return f"{self._base}/commits/{self._branch}/entries/{_quote_id(entry_id)}.yaml"

    def source_url(self, entry_id: str) -> str:
        return f"{self._base}/blob/{self._branch}/entries/{_quote_id(entry_id)}.yaml"

    @cached_property  # frozen: never changes
    def _base(self) -> str:
        owner, name = self.name.split("/", 1)
        return f"https://github.com/{quote(owner, safe='')}/{quote(name, safe='')}"

    @cached_property
    def _branch(self) -> str:
        return quote(self.branch, safe="")


_CORRECTION_TEMPLATE_Q = quote(CORRECTION_TEMPLATE, safe="")


def _quote_id(entry_id: str) -> str:
    return entry_id if model.SAFE_ID.match(entry_id) else quote(entry_id, safe="")


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
    env.globals.update(
        link=link_html, pending_badge=pending_badge_html, link_html=link_html, pending_badge_html=pending_badge_html, index_row=index_row_html
    )
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


def index_row_html(row) -> Markup:
    """One mechanism's row of the table in index.html (without the line
    break after it), as its Jinja markup gave it: every value through
    ``escape``, as autoescape does (``join`` under autoescape is the same
    as escaping the joined text). In the template, a row was ~40 pieces
    yielded through four generators: index.html took ~0.6-0.9 s of CPU at
    10,000 entries, ~0.35-0.5 s with this."""
    rid = escape(row.id)
    name = escape(row.name)
    page = f'<a href="entries/{rid}.html">'
    pending = " is-pending" if row.pending else ""
    issues, groups = escape(" ".join(row.issue_areas)), escape(" ".join(row.taking_part))
    acronym = f" ({escape(row.acronym)})" if row.acronym and row.acronym not in row.name else ""
    regions = f'<span class="sub">{escape(", ".join(row.regions))}</span>' if row.regions else ""
    more = f' {page}Full description<span class="visually-hidden"> of {name}</span></a>' if row.summary_is_short else ""
    links = "<br>".join([link_html(link) for link in row.links])
    return Markup(
        f'<tr id="entry-{rid}" class="entry{pending}" data-entry="{rid}" data-issues="{issues}" data-scope="{escape(row.scope)}" data-groups="{groups}">\n'
        f'<th scope="row" class="c-name">{page}{name}</a>{acronym}{pending_badge_html(row)}</th>\n'
        f"<td>{escape('; '.join(row.organizations))}</td>\n"
        f"<td>{escape(row.scope_title)}{regions}</td>\n"
        f"<td>{escape('; '.join(row.issue_titles))}</td>\n"
        f'<td class="c-desc">{escape(row.summary)}{more}</td>\n'
        f'<td class="c-links">{links}</td>\n'
        "</tr>"
    )


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each folded to one line."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def plural(n: int, singular: str, many: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else (many or singular + 's')}"


# ---------------------------------------------------------------------------
# Markdown


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")
_MD_CHANGED = re.compile(r"[\\`*_{}\[\]()#+!|~>&<]")  # what md_text changes (most cells hold none of it)


def md_text(text) -> str:
    """Plain text that renders as itself in a GitHub Markdown table cell."""
    text = " ".join(str(text).split())  # no newline may end a table row
    if _MD_CHANGED.search(text) is None:
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # A leading hyphen, or a dot or equals after digits, could start a list or
    # heading only at the start of a line; the Markdown page never starts a
    # line with md_text's output (it follows "| ", "## " or other text), so
    # those need no escape.
    return text


def md_url(url: str) -> str:
    """A URL safe inside ``(...)`` of a Markdown link."""
    if _MD_URL_SPECIAL.search(url) is None:
        return url
    return "".join(f"%{ord(c):02X}" if c in " ()<>|\\`\"'[]" else c for c in url)


_MD_URL_SPECIAL = re.compile(r"[ ()<>|\\`\"'\[\]]")


def md_link(link: model.Link) -> str:
    if link.safe:
        return f"[{md_text(link.text)}]({md_url(link.url)})"
    return md_text(link.url)


def render_markdown(groups, rows, pending: int, omitted) -> str:
    return "".join(iter_markdown(groups, rows, pending, omitted))


# Lines of mapping.md per piece written.
_MD_BATCH = 1000


def iter_markdown(groups, rows, pending: int, omitted):
    """mapping.md in pieces: ``"\\n".join(lines).rstrip() + "\\n"`` without
    all the lines in memory at once. Trailing white space is held back until
    something follows it, so the end is stripped exactly as in one piece."""
    carry, batch = "", []
    for line in _markdown_lines(groups, rows, pending, omitted):
        batch.append(line)
        if len(batch) >= _MD_BATCH:
            text = carry + "\n".join(batch) + "\n"
            kept = text.rstrip()
            yield kept
            carry, batch = text[len(kept) :], []
    yield (carry + "\n".join(batch)).rstrip() + "\n"


def _markdown_lines(groups, rows, pending: int, omitted):
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
            yield from out
            out.clear()
    yield from out


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
    return "".join(iter_csv(rows))


def iter_csv(rows):
    """mapping.csv in pieces of about 64 KB (never the whole file at once)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([csv_cell(field_text(name, row.data.get(name))) for name in FIELDS])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def entry_json(row: Row) -> dict:
    return {name: row.data.get(name) for name in FIELDS}


def render_json(rows, changelog: Changelog) -> str:
    return "".join(iter_json(rows, changelog))


def iter_json(rows, changelog: Changelog):
    """mapping.json one entry at a time: the text of
    ``json.dumps(payload, ensure_ascii=False, indent=1) + "\n"`` without the
    whole payload's pieces in memory at once (at 10,000 entries they were
    ~80 MB). An entry inside ``"entries"`` is two levels deep: its text is
    its own ``json.dumps`` with every line break followed by two more spaces
    (a JSON string never holds a raw line break)."""
    head = {
        "title": SITE_TITLE,
        "fields": list(FIELDS),
        "count": len(rows),
        "awaiting_verification": sum(1 for r in rows if r.pending),
        "since": changelog.since,
        "entries": [],
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    if not rows:
        yield text + "\n"
        return
    yield text[: -len("[]\n}")] + "["
    separator = "\n  "
    for row in rows:
        yield separator + _json_indented(entry_json(row), "\n  ")
        separator = ",\n  "
    yield "\n ]\n}\n"


def _json_indented(value, newline: str) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)`` at the depth that
    ``newline`` indents to (json.dumps makes a new set of nested functions,
    a reference cycle, every call: with the garbage collector off during the
    build, one call per entry kept ~25 MB; this makes none, and is faster)."""
    parts: list[str] = []
    try:
        _json_into(parts, value, newline)
    except _UnusualJSON:  # a value our entries never hold: the json module decides
        return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", newline)
    return "".join(parts)


class _UnusualJSON(Exception):
    pass


def _json_into(parts: list, value, newline: str) -> None:
    kind = value.__class__
    if kind is str:
        parts.append(_json_string(value))
    elif kind is list or kind is tuple:
        _json_list(parts, value, newline)
    elif kind is dict:
        _json_dict(parts, value, newline)
    elif value is None or value is True or value is False:
        parts.append(_JSON_CONSTANTS[value])
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float and math.isfinite(value):  # json.dumps writes NaN and Infinity its own way
        parts.append(float.__repr__(value))
    else:
        raise _UnusualJSON


def _json_list(parts: list, value, newline: str) -> None:
    if not value:
        parts.append("[]")
        return
    inner = newline + " "
    separator = "[" + inner
    for item in value:
        parts.append(separator)
        _json_into(parts, item, inner)
        separator = "," + inner
    parts.append(newline + "]")


def _json_dict(parts: list, value, newline: str) -> None:
    if not value:
        parts.append("{}")
        return
    inner = newline + " "
    separator = "{" + inner
    for key, item in value.items():
        if key.__class__ is not str:
            raise _UnusualJSON  # json.dumps turns numbers and booleans into text
        parts.append(separator + _json_string(key) + ": ")
        _json_into(parts, item, inner)
        separator = "," + inner
    parts.append(newline + "}")


_json_string = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False
_JSON_CONSTANTS = {None: "null", True: "true", False: "false"}


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


@dataclass
class PageTask:
    """Entry pages to write: what every page shows (``common``) and the rows."""

    out: str
    common: dict
    groups: tuple  # (slug, title) of every stakeholder group, in order
    rows: list


# Entry pages per task: small enough to balance two busy processes, large
# enough that sending the rows costs little.
PAGES_PER_TASK = 250


def write_site(data: SiteData, out: Path, *, pages=None) -> dict[str, int]:
    """Write every output into ``out`` (created if missing; files this
    build owns are replaced). Returns a count of files per kind.

    ``pages(tasks)`` writes the entry pages (``bot.site.workers`` gives
    it to its processes) and returns a function that waits for them; by
    default they are written here. The pages are the same, byte for byte,
    whichever process writes them."""
    out = Path(out)
    rows = model.sort_rows(data.rows)
    env = shared_environment()
    common = _common(data, rows, env)
    _make_folders(out)
    page_common = {**common, "base": "../", "section": "entry"}
    groups = tuple((t.slug, t.title) for t in data.vocab.stakeholder_groups)
    tasks = [PageTask(str(out), page_common, groups, rows[i : i + PAGES_PER_TASK]) for i in range(0, len(rows), PAGES_PER_TASK)]
    wait = (pages or _pages_here)(tasks)
    for name, chunks in _files(data, rows, env, common).items():
        _write_text(out / name, chunks)
    wait()
    return {"entry pages": len(rows), "files": len(rows) + 9}


def _common(data: SiteData, rows: list, env: Environment) -> dict:
    """What every page shows: counts, date, repository, the notice of left-out entries."""
    common = {
        "site_title": SITE_TITLE,
        "total": len(rows),
        "pending": sum(1 for r in rows if r.pending),
        "date": data.date,
        "repo": data.repo,
        "omitted": data.omitted,
        "changelog": data.changelog,
    }
    common["omitted_notice"] = Markup(env.get_template("_omitted.html").render(**common))
    return common


def _make_folders(out: Path) -> None:
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


def _files(data: SiteData, rows: list, env: Environment, common: dict) -> dict:
    """Every output but the entry pages: name -> its text, in pieces."""
    vocab = data.vocab
    groups = model.group_rows(rows, vocab)
    cov = model.coverage(rows, vocab)
    by_id = sorted(rows, key=lambda r: r.id)  # data files: stable order, small diffs
    uncovered = {u for u, _ in cov.uncovered}
    index = _generate(
        env.get_template("index.html"),
        **common,
        base="",
        section="table",
        groups=groups,
        clusters=vocab.clusters,
        issue_areas=vocab.issue_areas,
        groups_vocab=vocab.stakeholder_groups,
        scopes=[(s, model.SCOPE_TITLES[s]) for s in model.SCOPES],
        covered=sum(1 for t in vocab.issue_areas if t.slug not in uncovered),
    )
    return {
        "index.html": index,
        "mapping.json": iter_json(by_id, data.changelog),
        "mapping.md": iter_markdown(groups, rows, common["pending"], data.omitted),
        "mapping.csv": iter_csv(by_id),
        "coverage.html": _generate(env.get_template("coverage.html"), **common, base="", section="coverage", cov=cov, vocab=vocab),
        "changes.html": _generate(env.get_template("changes.html"), **common, base="", section="changes", rows_by_id={r.id: r for r in rows}),
        "changes.md": (render_changes_text(data.changelog, len(rows), data.date),),
        "coverage.json": (render_coverage_json(cov),),
        ".nojekyll": (),
    }


def _generate(template, **variables):
    """``template.generate(**variables)``, then the context emptied. A
    template that defines a macro (coverage.html, changes.html) leaves its
    context in a reference cycle (the macro refers to the context, which
    holds the macro), and with it everything it was given: the rows (by id,
    and in the coverage's gap lists). With the cyclic collector off during
    the build, they were freed only at the very end, by one collection over
    ~216,000 objects (0.1-0.25 s, after everything else); emptied, they go
    when the build lets go of them, by reference counting (~0.03 s)."""
    context = template.new_context(variables)
    try:
        yield from template.root_render_func(context)
    except Exception:
        yield template.environment.handle_exception()
    finally:
        context.vars.clear()
        context.parent.clear()


_ENVIRONMENT: list = []


def shared_environment() -> Environment:
    """This process's environment (templates compiled once; a forked worker
    inherits it with its compiled templates)."""
    if not _ENVIRONMENT:
        env = environment()
        for name in ("entry.html", "index.html", "coverage.html", "changes.html", "_omitted.html"):
            env.get_template(name)
        _ENVIRONMENT.append(env)
    return _ENVIRONMENT[0]


def render_pages(task: PageTask) -> list[tuple[str, bytes]]:
    """One task's entry pages: (file path, UTF-8 bytes)."""
    page = shared_environment().get_template("entry.html")
    entries = os.path.join(task.out, "entries")
    out = []
    for row in task.rows:
        if not model.SAFE_ID.match(row.id):  # never a path outside entries/
            continue
        recorded = {p.group for p in row.stakeholders}
        text = page.render(**task.common, row=row, not_recorded=[title for slug, title in task.groups if slug not in recorded])
        out.append((os.path.join(entries, f"{row.id}.html"), text.encode("utf-8")))
    return out


def write_files(files) -> None:
    for path, data in files:
        _write_bytes(path, data)


def _pages_here(tasks) -> callable:
    for task in tasks:
        write_files(render_pages(task))
    return lambda: None


# Text is encoded and written in pieces of about this many characters, so
# that a large file (index.html, mapping.json) is never held twice.
_WRITE_BATCH = 1 << 20


def _write_text(path: Path, chunks) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        batch, size = [], 0
        for chunk in chunks:
            batch.append(chunk)
            size += len(chunk)
            if size >= _WRITE_BATCH:
                _write_all(fd, "".join(batch).encode("utf-8"))
                batch, size = [], 0
        _write_all(fd, "".join(batch).encode("utf-8"))
    finally:
        os.close(fd)


def _write_bytes(path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def copy_tree_size(out: Path) -> int:
    return sum(f.stat().st_size for f in Path(out).rglob("*") if f.is_file())
