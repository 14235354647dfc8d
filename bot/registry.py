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
    def load(cls, project: Project, *, wording: bool = True) -> "Context":
        vocabularies = load_vocabularies(project.vocabulary_dir)
        schema = resolve_schema(read_schema(project.schema_path), vocabularies)
        rules = None
        if wording:
            from bot import wording as wording_module

            rules = wording_module.load_rules_for(project)
        return cls(project, vocabularies, schema, cached_validator(schema), rules)


@dataclass
class Checked:
    """One file after its own checks."""

    doc: Document
    findings: list = field(default_factory=list)

    @property
    def data(self) -> dict:
        return self.doc.data if isinstance(self.doc.data, dict) else {}


def check_document(doc: Document, ctx: Context) -> Checked:
    """Per-file checks on an already parsed document."""
    findings = list(doc.findings)
    # When the YAML itself is wrong (aliases, tags, duplicate keys...), the
    # data is not what the author meant: report that first, alone.
    structural = any(f.is_error and f.rule.startswith("yaml/") and f.rule not in _TEXT_ONLY for f in findings)
    if not structural and doc.root is not None and doc.root.kind == "mapping" and isinstance(doc.data, dict):
        findings.extend(validate_document(doc, ctx.validator))
        findings.extend(_id_matches_file(doc))
        if ctx.rules is not None:
            from bot import wording

            findings.extend(wording.entry_findings(doc, ctx.rules))
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
    by_id, by_url, by_name = defaultdict(list), defaultdict(list), defaultdict(list)
    for item in checked:
        data = item.data
        if isinstance(data.get("id"), str):
            by_id[data["id"]].append(item)
        urls = data.get("urls")
        if isinstance(urls, list):
            for index, url in enumerate(urls):
                if isinstance(url, str) and url.strip():
                    by_url[normalise_url(url)].append((item, index))
        if isinstance(data.get("name"), str):
            key = normalise_name(data["name"])
            if key:
                by_name[key].append(item)

    findings = []

    def wanted(item):
        return report_for is None or item.doc.path in report_for

    for entry_id, items in by_id.items():
        if len(items) < 2:
            continue
        for item in items:
            if not wanted(item):
                continue
            others = ", ".join(o.doc.path for o in items if o is not item)
            node = item.doc.node_at(("id",))
            findings.append(
                Finding.at(
                    item.doc.path,
                    node.span,
                    ERROR,
                    "registry/duplicate-id",
                    f"`id` `{entry_id}` is also used by {others}",
                    suggestion="each mechanism needs its own id; if this is the same mechanism, edit the existing entry instead",
                    field_path=("id",),
                )
            )
    for url, uses in by_url.items():
        items = {id(item): item for item, _ in uses}
        if len(items) < 2:
            continue
        for item, index in uses:
            if not wanted(item):
                continue
            others = ", ".join(sorted({o.doc.path for o, _ in uses if o is not item}))
            node = item.doc.node_at(("urls", index))
            findings.append(
                Finding.at(
                    item.doc.path,
                    node.span,
                    WARNING,
                    "registry/duplicate-url",
                    f"the same web address is also listed by {others}",
                    suggestion="check that this is not the same mechanism; if it is, edit the existing entry",
                    field_path=("urls", index),
                )
            )
    for key, items in by_name.items():
        if len(items) < 2:
            continue
        for item in items:
            if not wanted(item):
                continue
            others = ", ".join(o.doc.path for o in items if o is not item)
            node = item.doc.node_at(("name",))
            findings.append(
                Finding.at(
                    item.doc.path,
                    node.span,
                    WARNING,
                    "registry/similar-name",
                    f"the name is nearly identical to the name in {others}",
                    suggestion="check that this is not the same mechanism; if it is, edit the existing entry",
                    field_path=("name",),
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
        return [c.doc.path for c in self.files if c.data.get("verification") == "pending"]


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


def check_paths(ctx: Context, paths=None, *, loader=load_file) -> CheckResult:
    """``check``: the named files (default: the whole registry), each with its
    own checks, and with the registry-wide checks against the registry."""
    project = ctx.project
    registry_files = project.entry_files()
    targets = expand_paths(paths) if paths else registry_files
    shown = {project.relative(p): p for p in targets}
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
