"""Neutral-wording flags for entries: which fields are checked, and where in
the YAML file each flag is (the matcher itself lives in ``bot.neutrality``)."""

from __future__ import annotations

from bot.findings import Finding
from bot.loading import Document

# Free-text fields in the registry's own voice. `name`, `acronym` and
# `organizations` are proper names: never flagged, and exempt inside the text.
FREE_TEXT_PATHS = (("description",), ("gaps", "*", "note"), ("sources", "*", "note"))


def has_matcher() -> bool:
    try:
        import bot.neutrality  # noqa: F401
    except ImportError:  # pragma: no cover
        return False
    return True


def load_rules_for(project):
    try:
        from bot.neutrality import load_rules
    except ImportError:  # pragma: no cover - until the matcher is installed
        return None
    return load_rules(project.rules_path)


def free_text_nodes(doc: Document):
    """(field path, scalar node) for each free-text value in the entry."""
    root = doc.root
    if root is None or root.kind != "mapping":
        return
    for pattern in FREE_TEXT_PATHS:
        stack = [((), root)]
        for part in pattern:
            nxt = []
            for path, node in stack:
                if part == "*":
                    if node.kind == "sequence":
                        nxt.extend(((*path, i), item) for i, item in enumerate(node.items))
                else:
                    child = node.child(part) if node.kind == "mapping" else None
                    if child is not None:
                        nxt.append(((*path, part), child))
            stack = nxt
        for path, node in stack:
            if node.kind == "scalar" and isinstance(node.value, str):
                yield path, node


def proper_names(data) -> list[str]:
    if not isinstance(data, dict):
        return []
    names = [data.get("name"), data.get("acronym")]
    orgs = data.get("organizations")
    if isinstance(orgs, list):
        names.extend(orgs)
    return [n for n in names if isinstance(n, str) and n.strip()]


def entry_findings(doc: Document, rules, only_paths=None) -> list[Finding]:
    """Flags in an entry's free text, with exact spans in the YAML file.

    ``only_paths``: if given, only these field paths are scanned (the bot
    flags only text that a pull request adds or changes)."""
    from bot.neutrality import scan

    names = proper_names(doc.data)
    findings = []
    for path, node in free_text_nodes(doc):
        if only_paths is not None and path not in only_paths:
            continue
        for flag in scan(node.value, rules=rules, proper_names=names):
            span = doc.text_span(node, flag.start, flag.end)
            findings.append(
                Finding.at(
                    doc.path,
                    span,
                    flag.severity,
                    flag.rule,
                    flag.message,
                    suggestion=flag.suggestion,
                    category=flag.category,
                    match=flag.match,
                    field_path=path,
                )
            )
    return findings
