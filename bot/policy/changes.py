"""What a pull request changes, and what the checks say about it.

Classifies each changed file (new entry, update, removal, or something that
is not an entry), runs the same checks as ``check`` on the head contents with
the default branch's schema and rules, and keeps neutrality flags only for
text the pull request adds or changes.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from bot.findings import ERROR, Finding, Span
from bot.governance import Governance
from bot.loading import Document, load_text
from bot.policy.state import ChangedFile, PullRequestState
from bot.registry import Checked, Context, check_document, registry_findings
from bot.wording import entry_findings, free_text_nodes

NEW, UPDATE, REMOVAL = "new", "update", "removal"

# Paths outside the entry folders, by what they are (for the comment).
DATA_PREFIXES = ("schema/",)


@dataclass(frozen=True)
class EntryChange:
    path: str
    kind: str  # new | update | removal
    head: Document | None  # None for a removal
    base: Document | None  # None for a new entry
    findings: tuple[Finding, ...]  # errors and warnings, without wording flags
    flags: tuple[Finding, ...]  # neutrality flags on added or changed text

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def data(self) -> dict:
        doc = self.head if self.head is not None else self.base
        return doc.data if doc is not None and isinstance(doc.data, dict) else {}

    @property
    def base_data(self) -> dict:
        return self.base.data if self.base is not None and isinstance(self.base.data, dict) else {}


@dataclass(frozen=True)
class Assessment:
    entries: tuple[EntryChange, ...]
    other_files: tuple[str, ...]  # anything outside the entry folders
    data_files: tuple[str, ...]  # the subset under schema/ (schema, vocabularies, rules)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for e in self.entries for f in e.errors)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for e in self.entries for f in e.findings if not f.is_error)

    @property
    def flags(self) -> tuple[Finding, ...]:
        return tuple(f for e in self.entries for f in e.flags)

    @property
    def entry_only(self) -> bool:
        return bool(self.entries) and not self.other_files


def flag_identity(finding: Finding) -> str:
    """Stable across re-runs and line moves: file, field, rule, matched text."""
    field = ".".join(map(str, finding.field_path))
    match = " ".join((finding.match or "").lower().split())
    return f"{finding.path}|{field}|{finding.rule}|{match}"


def _not_regular(path: str, mode: str) -> Finding:
    what = {"120000": "a symbolic link", "160000": "a submodule"}.get(mode, f"not a regular file (mode {mode})")
    return Finding.at(
        path,
        Span.point(1, 1),
        ERROR,
        "registry/not-a-file",
        f"`{path}` is {what}; entries must be ordinary text files",
        suggestion="replace it with the entry's YAML text",
    )


def _changed_text_flags(head: Document, base: Document | None, rules) -> tuple[Finding, ...]:
    """Flags in free text the pull request adds or changes. A flag whose
    phrase was already in the same field of the published entry was accepted
    before, and is not raised again (counted, so a second copy is new)."""
    if rules is None:
        return ()
    flags = entry_findings(head, rules)
    if base is None or base.root is None:
        return tuple(flags)
    base_values = {path: node.value for path, node in free_text_nodes(base)}
    head_values = {path: node.value for path, node in free_text_nodes(head)}
    changed = {path for path, value in head_values.items() if base_values.get(path) != value}
    base_flags = Counter(
        (f.field_path, f.rule, (f.match or "").lower()) for f in entry_findings(dataclasses.replace(base, path=head.path), rules)
    )
    kept = []
    for flag in flags:
        if flag.field_path not in changed:
            continue
        key = (flag.field_path, flag.rule, (flag.match or "").lower())
        if base_flags[key] > 0:
            base_flags[key] -= 1
            continue
        kept.append(flag)
    return tuple(kept)


def assess(state: PullRequestState, ctx: Context, governance: Governance) -> Assessment:
    plain = dataclasses.replace(ctx, rules=None)
    entries, others = [], []
    head_checked: list[Checked] = []
    removed_paths = set()
    for changed in state.files:
        head_is_entry = governance.is_entry_path(changed.path)
        moved_from = changed.previous_path if changed.previous_path and changed.previous_path != changed.path else None
        from_entry = moved_from is not None and governance.is_entry_path(moved_from)
        if not head_is_entry and not from_entry:
            others.append(changed.path)
            continue
        base = None
        if changed.base_content is not None:
            base = load_text(moved_from or changed.path, changed.base_content)
        if changed.status == "removed":
            removed_paths.add(changed.path)
            entries.append(EntryChange(changed.path, REMOVAL, None, base, (), ()))
            continue
        if from_entry:
            removed_paths.add(moved_from)
        if not head_is_entry:  # moved out of the entry folder
            entries.append(EntryChange(moved_from, REMOVAL, None, base, (), ()))
            others.append(changed.path)
            continue
        entries.append(_assess_entry(changed, base, plain, ctx.rules, head_checked))
    # Registry-wide checks against the default branch, without the files
    # this pull request removes or replaces.
    registry = [
        Checked(load_text(path, raw))
        for path, raw in sorted(state.registry.items())
        if path not in removed_paths and path not in {c.doc.path for c in head_checked}
    ]
    cross = registry_findings([*head_checked, *registry], report_for={c.doc.path for c in head_checked})
    by_path: dict[str, list[Finding]] = {}
    for finding in cross:
        by_path.setdefault(finding.path, []).append(finding)
    entries = [
        dataclasses.replace(e, findings=e.findings + tuple(by_path.get(e.path, ()))) if e.path in by_path else e for e in entries
    ]
    data_files = tuple(p for p in others if p.startswith(DATA_PREFIXES))
    return Assessment(tuple(entries), tuple(dict.fromkeys(others)), data_files)


def _assess_entry(changed: ChangedFile, base: Document | None, plain: Context, rules, head_checked: list) -> EntryChange:
    kind = UPDATE if base is not None else NEW
    if changed.mode != "100644":
        return EntryChange(changed.path, kind, None, base, (_not_regular(changed.path, changed.mode),), ())
    if changed.content is None:
        finding = Finding.at(changed.path, Span.point(1, 1), ERROR, "registry/unreadable", "the file's content could not be read at the head commit")
        return EntryChange(changed.path, kind, None, base, (finding,), ())
    head = load_text(changed.path, changed.content)
    checked = check_document(head, plain)
    head_checked.append(checked)
    flags = ()
    if head.ok and isinstance(head.data, dict):
        flags = _changed_text_flags(head, base, rules)
    return EntryChange(changed.path, kind, head, base, tuple(checked.findings), flags)
