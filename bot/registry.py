"""Checking entries: per-file checks (YAML, schema, id, wording) and the
registry-wide checks (duplicate ids, the same URL or a near-identical name in
two entries). Everything here is pure data in, findings out."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bot.findings import ERROR, WARNING, Finding, Span
from bot.loading import Document, load_file, load_text
from bot.project import Project
from bot.schema import cached_validator, read_schema, resolve_schema, validate_document
from bot.vocabularies import Vocabularies, load_vocabularies

FREE_TEXT_FIELDS = ("description",)  # plus gaps[].note and sources[].note


@dataclass
class Context:
    """What checking needs from the registry's own files (default branch)."""

    project: Project
    vocabularies: Vocabularies
    schema: dict
    validator: object
    rules: object = None  # neutrality RuleSet, or None to skip wording checks

    @classmethod
    def load(cls, project: Project, *, wording: bool = True, lazy: bool = False) -> "Context":
        """``lazy``: the validator and the wording rules are made on first
        use (a check answered from the cache needs neither); call
        ``materialise()`` to make them now, and so see their errors now."""
        vocabularies = load_vocabularies(project.vocabulary_dir)
        schema = resolve_schema(read_schema(project.schema_path), vocabularies)
        rules = None
        if wording:
            from bot import wording as wording_module

            if lazy and wording_module.has_matcher():
                rules = Deferred(lambda: wording_module.load_rules_for(project))
            else:
                rules = wording_module.load_rules_for(project)
        validator = Deferred(lambda: cached_validator(schema)) if lazy else cached_validator(schema)
        return cls(project, vocabularies, schema, validator, rules)

    def materialise(self) -> "Context":
        resolved(self.validator)
        resolved(self.rules)
        return self


class Deferred:
    """A value made on first use; attribute access goes to the value."""

    def __init__(self, make):
        self._make = make
        self._done = False
        self._value = None

    def resolve(self):
        if not self._done:
            self._value = self._make()
            self._done = True
        return self._value

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.resolve(), name)


def resolved(value):
    return value.resolve() if isinstance(value, Deferred) else value


@dataclass
class Checked:
    """One file after its own checks."""

    doc: Document
    findings: list = field(default_factory=list)
    pending: bool | None = None  # set by the fast path, which keeps no data

    @property
    def awaiting_verification(self) -> bool:
        return self.pending if self.pending is not None else self.data.get("verification") == "pending"

    @property
    def data(self) -> dict:
        return self.doc.data if isinstance(self.doc.data, dict) else {}


def check_document(doc: Document, ctx: Context, *, schema_known_valid: bool = False) -> Checked:
    """Per-file checks on an already parsed document.

    ``schema_known_valid``: the compiled validator of ``bot.fastcheck`` has
    already found the data valid (so jsonschema would find nothing)."""
    findings = list(doc.findings)
    # When the YAML itself is wrong (aliases, tags, duplicate keys...), the
    # data is not what the author meant: report that first, alone.
    structural = any(f.is_error and f.rule.startswith("yaml/") and f.rule not in _TEXT_ONLY for f in findings)
    if not structural and doc.root is not None and doc.root.kind == "mapping" and isinstance(doc.data, dict):
        if not schema_known_valid:
            findings.extend(validate_document(doc, resolved(ctx.validator)))
        findings.extend(_id_matches_file(doc))
        if ctx.rules is not None:
            from bot import wording

            findings.extend(wording.entry_findings(doc, resolved(ctx.rules)))
    return Checked(doc, findings)


# YAML findings that do not change the data's structure.
_TEXT_ONLY = {"yaml/forbidden-character"}


def _id_matches_file(doc: Document) -> list[Finding]:
    entry_id = doc.data.get("id")
    name = PurePosixPath(doc.path.replace("\\", "/")).name
    stem = name[: -len(".yaml")] if name.endswith(".yaml") else name.rsplit(".", 1)[0]
    node = doc.node_at(("id",))
    if name.endswith(".yml"):
        return [
            Finding.at(
                doc.path,
                Span.point(1, 1),
                ERROR,
                "registry/file-name",
                f"entry files end in `.yaml`, not `.yml`: `{name}`",
                suggestion=f"rename the file to `{stem}.yaml`",
            )
        ]
    if not isinstance(entry_id, str) or entry_id == stem or doc.path in ("-", "<stdin>"):
        return []
    return [
        Finding.at(
            doc.path,
            node.span if node is not None else Span.point(1, 1),
            ERROR,
            "registry/id-mismatch",
            f"`id` is `{entry_id}` but the file is named `{stem}.yaml`; they must be the same",
            suggestion=f"rename the file to `{entry_id}.yaml`, or change `id` to `{stem}`",
            field_path=("id",),
        )
    ]


# ---------------------------------------------------------------------------
# Registry-wide checks


def normalise_url(url: str) -> str:
    url = url.strip()
    url = re.sub(r"^https?://", "", url, flags=re.I)
    url = re.sub(r"^www\.", "", url, flags=re.I)
    host, _, rest = url.partition("/")
    rest = rest.split("#", 1)[0].rstrip("/")
    return f"{host.lower()}/{rest}" if rest else host.lower()


_ARTICLES = {"the", "a", "an", "of", "for", "on", "and", "in", "de", "la", "le", "les", "du"}


def normalise_name(name: str) -> str:
    """A key under which near-identical names collide: case, accents,
    punctuation, parenthesised acronyms and small words do not count."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"\([^)]*\)", " ", text)
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in _ARTICLES]
    words = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words]
    return " ".join(words)


def registry_findings(checked: list[Checked], report_for: set[str] | None = None) -> list[Finding]:
    """Cross-entry findings. Linear: everything is grouped by a key.

    ``report_for`` limits the findings to those paths (the files being
    checked); the others only serve as the registry they are compared with.
    """
    from bot.fastcheck import Facts

    checked = list(checked)
    facts = [(item.doc.path, Facts.of(item.data)) for item in checked]

    def span(entry, field_path):
        return checked[entry[0]].doc.node_at(field_path).span

    return registry_findings_from_facts(facts, span, report_for)


def registry_findings_from_facts(facts, span, report_for: set[str] | None = None) -> list[Finding]:
    """Cross-entry findings from each entry's ``(path, Facts)``, in order.

    ``span((number, path), field_path)`` gives where a value is in the
    ``number``-th entry; it is only called for
    the entries that have a finding (the fast path re-reads those files with
    positions). Linear: entries are grouped by id, normalised URL and name."""
    by_id, by_url, by_name = defaultdict(list), defaultdict(list), defaultdict(list)
    for number, (path, fact) in enumerate(facts):
        item = (number, path)
        if fact.entry_id is not None:
            by_id[fact.entry_id].append(item)
        for index, url in fact.urls:
            by_url[url].append((item, index))
        if fact.name_key:
            by_name[fact.name_key].append(item)

    findings = []
    checks = (
        # groups, severity, rule, message, suggestion, sort the other paths
        (
            {key: [(item, ("id",)) for item in items] for key, items in by_id.items() if len(items) > 1},
            ERROR,
            "registry/duplicate-id",
            lambda key, others: f"`id` `{key}` is also used by {others}",
            "each mechanism needs its own id; if this is the same mechanism, edit the existing entry instead",
            False,
        ),
        (
            {key: [(item, ("urls", index)) for item, index in uses] for key, uses in by_url.items() if len(uses) > 1},
            WARNING,
            "registry/duplicate-url",
            lambda key, others: f"the same web address is also listed by {others}",
            "check that this is not the same mechanism; if it is, edit the existing entry",
            True,
        ),
        (
            {key: [(item, ("name",)) for item in items] for key, items in by_name.items() if len(items) > 1},
            WARNING,
            "registry/similar-name",
            lambda key, others: f"the name is nearly identical to the name in {others}",
            "check that this is not the same mechanism; if it is, edit the existing entry",
            False,
        ),
    )
    for groups, severity, rule, message, suggestion, sort_others in checks:
        for key, uses in groups.items():
            if len({item for item, _ in uses}) < 2:
                continue
            for item, field_path in uses:
                if report_for is not None and item[1] not in report_for:
                    continue
                others = [o[1] for o, _ in uses if o is not item]
                others = sorted(set(others)) if sort_others else others
                findings.append(
                    Finding.at(
                        item[1],
                        span(item, field_path),
                        severity,
                        rule,
                        message(key, ", ".join(others)),
                        suggestion=suggestion,
                        field_path=field_path,
                    )
                )
    return findings


# ---------------------------------------------------------------------------
# Checking a set of files against the registry


@dataclass
class CheckResult:
    findings: list
    files: list  # Checked, for the files that were asked for
    registry_size: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def pending_verification(self) -> list[str]:
        return [c.doc.path for c in self.files if c.awaiting_verification]


def expand_paths(paths) -> list[Path]:
    """Files named, and .yaml/.yml files inside folders named (recursively)."""
    out = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(path)
    return out


def check_paths(
    ctx: Context, paths=None, *, loader=None, jobs: int | None = None, want_data: bool = True, cache=None, runner=None
) -> CheckResult:
    """``check``: the named files (default: the whole registry), each with its
    own checks, and with the registry-wide checks against the registry.

    Files go through ``bot.fastcheck`` (over ``jobs`` processes; default: one
    per core) unless a ``loader`` is given. ``want_data``: keep every file's
    data (``build`` needs it). ``cache``: a ``bot.checkcache.Cache``.
    ``runner(ctx, items)``: checks the (path, display, checks) items instead
    of ``fastcheck.run``, giving their FileResults in order (``build`` runs
    them in its own processes)."""
    project = ctx.project
    registry_files, registry_shown = project.entry_files_shown()
    targets = expand_paths(paths) if paths else registry_files
    shown = dict(zip(project.relative_many(targets) if paths else registry_shown, targets))
    if loader is not None:
        return _check_paths_loaded(ctx, shown, registry_files, loader)
    from bot import fastcheck

    items = [(path, display, True) for display, path in shown.items()]
    items += [(path, display, False) for path, display in zip(registry_files, registry_shown) if display not in shown]
    if runner is not None:
        results = runner(ctx, items)
    else:
        results = fastcheck.run(ctx, items, jobs=jobs, want_data=want_data, cache=cache)
    if cache is not None:
        cache.update(results, ctx)
    reloaded: dict[int, Document] = {}

    def span(entry, field_path):
        number = entry[0]
        if number not in reloaded:
            reloaded[number] = load_file(items[number][0], items[number][1])
        return reloaded[number].node_at(field_path).span

    findings = [f for r in results[: len(shown)] for f in r.findings]
    findings.extend(registry_findings_from_facts([(r.path, r.facts) for r in results], span, report_for=set(shown)))
    files = []
    for number, r in enumerate(results[: len(shown)]):
        text = r.text if r.text is not None else reloaded[number].text if number in reloaded else ""
        files.append(Checked(Document(path=r.path, text=text, data=r.data), list(r.findings), pending=r.pending))
    return CheckResult(findings, files, len(registry_files))


def _check_paths_loaded(ctx, shown, registry_files, loader) -> CheckResult:
    """The precise path for every file, with a caller's loader."""
    project = ctx.project
    checked = {}
    for display, path in shown.items():
        checked[display] = check_document(loader(path, display), ctx)
    # The rest of the registry, for the cross-entry checks only.
    others = []
    for path in registry_files:
        display = project.relative(path)
        if display not in checked:
            doc = loader(path, display)
            others.append(Checked(doc))
    findings = [f for c in checked.values() for f in c.findings]
    findings.extend(registry_findings([*checked.values(), *others], report_for=set(checked)))
    return CheckResult(findings, list(checked.values()), len(registry_files))


def check_texts(ctx: Context, files: dict[str, bytes], registry: dict[str, bytes]) -> CheckResult:
    """The same checks on contents held in memory (the bot reads a pull
    request's files through the API): ``files`` are checked, ``registry`` is
    the default branch's entries they are compared with."""
    checked = {path: check_document(load_text(path, raw), ctx) for path, raw in files.items()}
    others = [Checked(load_text(path, raw)) for path, raw in registry.items() if path not in checked]
    findings = [f for c in checked.values() for f in c.findings]
    findings.extend(registry_findings([*checked.values(), *others], report_for=set(checked)))
    return CheckResult(findings, list(checked.values()), len(set(registry) | set(files)))
