"""From form values to an entry file, checked like any other entry.

The YAML is written by ruamel.yaml's dumper from plain str/list/dict values
(never by string templating), then READ BACK with the project's hardened
loader and checked with the same checks as ``check`` (schema, vocabularies,
registry-wide, neutral wording). If the text read back is not exactly the
data meant, the entry is refused: nothing typed in a form can become YAML
structure. The file name comes only from an identifier that matches the
schema's pattern.

A correction starts from the entry on the default branch (read with
ruamel's round-trip loader, so its comments and layout stay) and changes only
the fields the form answered; ``(clear)`` removes an optional field.

Findings are mapped back to the form's field names, in plain words, without
line numbers: the proposer never saw the YAML file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from bot.findings import ERROR, Finding
from bot.intake.forms import CLEAR, CORRECTION, Form
from bot.intake.parse import Parsed, slugify
from bot.loading import load_text
from bot.registry import Context, check_texts
from bot.schema import field_label

ENTRY_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ENTRIES = "entries/"
ORDER = (
    "id", "name", "acronym", "organizations", "issue_areas", "scope", "regions", "countries",
    "mechanism_type", "status", "start_date", "description", "urls", "stakeholders", "gaps",
    "sources", "last_reviewed", "verification",
)


@dataclass(frozen=True)
class FormFinding:
    """A finding in the words of the form."""

    severity: str
    field: str  # form field id, "" for the whole proposal
    label: str  # the field's label as the proposer saw it
    message: str
    suggestion: str | None = None
    rule: str = ""
    where: str = ""  # inside the field: "item 2", "item 1, title"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass(frozen=True)
class Proposal:
    kind: str  # new | correction
    entry_id: str | None  # only a valid identifier
    path: str | None  # entries/<id>.yaml, only from a valid identifier
    content: bytes | None  # the entry to write; None when there are errors
    findings: tuple[FormFinding, ...] = ()
    unchanged: bool = False  # a correction that changes nothing

    @property
    def errors(self) -> tuple[FormFinding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[FormFinding, ...]:
        return tuple(f for f in self.findings if not f.is_error)


def valid_id(value) -> bool:
    return isinstance(value, str) and 3 <= len(value) <= 80 and bool(ENTRY_ID.match(value))


# ---------------------------------------------------------------------------
# Writing YAML


def _yaml(width: int = 80):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.width = width
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    return yaml


def _styled(key, value, fold: bool):
    from ruamel.yaml.scalarstring import FoldedScalarString

    if fold and key == "description" and isinstance(value, str) and len(value) > 70:
        return FoldedScalarString(value)
    return value


def _dump(mapping, width: int = 80) -> str:
    out = io.StringIO()
    _yaml(width).dump(mapping, out)
    # ruamel leaves a space at the end of a wrapped line; the text is read
    # back and compared afterwards, so this cannot change the data unseen.
    return re.sub(r"[ \t]+\n", "\n", out.getvalue())


def _plain(value):
    """Data as the hardened loader gives it (for comparing)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def dump_new(data: dict, path: str) -> str | None:
    """YAML text whose re-read data is exactly ``data``, or None."""
    from ruamel.yaml.comments import CommentedMap

    for fold in (True, False):
        mapping = CommentedMap()
        for key in ORDER:
            if key in data:
                mapping[key] = _styled(key, data[key], fold)
        text = _dump(mapping)
        doc = load_text(path, text)
        if doc.ok and _plain(doc.data) == _plain(data):
            return text
    return None


def _apply_correction(current: str, changes: dict, path: str) -> tuple[str | None, dict | None]:
    """(new YAML text, expected data) for the current entry with ``changes``."""
    original = load_text(path, current)
    if not original.ok or not isinstance(original.data, dict):
        return None, None
    expected = _plain(original.data)
    for key, value in changes.items():
        if key.startswith("stakeholders/"):
            group = key.split("/", 1)[1]
            groups = dict(expected.get("stakeholders") or {})
            if value == CLEAR:
                groups.pop(group, None)
            else:
                groups[group] = value
            if groups:
                expected["stakeholders"] = groups
            else:
                expected.pop("stakeholders", None)
        elif value == CLEAR:
            expected.pop(key, None)
        else:
            expected[key] = value
    for fold in (True, False):
        mapping = _yaml().load(current)
        for key, value in changes.items():
            if key.startswith("stakeholders/"):
                group = key.split("/", 1)[1]
                groups = mapping.get("stakeholders")
                if value == CLEAR:
                    if groups is not None:
                        groups.pop(group, None)
                        if not groups:
                            del mapping["stakeholders"]
                    continue
                if groups is None:
                    _insert(mapping, "stakeholders", {group: value})
                else:
                    groups[group] = value
            elif value == CLEAR:
                mapping.pop(key, None)
            elif key in mapping:
                mapping[key] = _styled(key, value, fold)
            else:
                _insert(mapping, key, _styled(key, value, fold))
        # A correction keeps the lines it does not change: no re-wrapping
        # (folded text keeps its own line breaks in round-trip mode).
        text = _dump(mapping, width=4096)
        doc = load_text(path, text)
        if doc.ok and _plain(doc.data) == expected:
            return text, expected
    return None, None


def _insert(mapping, key, value) -> None:
    """Insert a field where the canonical order puts it."""
    rank = {k: i for i, k in enumerate(ORDER)}
    position = len(mapping)
    for index, existing in enumerate(mapping):
        if rank.get(existing, len(ORDER)) > rank.get(key, len(ORDER)):
            position = index
            break
    mapping.insert(position, key, value)


# ---------------------------------------------------------------------------
# Findings in the form's words

_SUB = {"type": "type", "note": "note", "title": "title", "url": "web address", "date": "date"}
_YAML_HINTS = (".yaml", "\n", "double quotes", "write it as a list", "add a line", "delete the line", "rename the file", "schema/")


def _target_of(path: tuple, correction: bool) -> str | None:
    if not path:
        return None
    head = path[0]
    if head == "stakeholders" and len(path) > 1:
        return f"stakeholders/{path[1]}"
    if head == "id" and correction:
        return "entry"
    return str(head)


def to_form_finding(finding: Finding, form: Form, correction: bool, id_field: str) -> FormFinding:
    path = tuple(finding.field_path)
    target = _target_of(path, correction)
    form_field = None
    if target == "entry":
        form_field = form.field("entry")
    elif target == "id":
        form_field = form.field(id_field)
    elif target is not None:
        form_field = form.field_for(target)
    message = finding.message
    lead = field_label(path) if path else ""
    if lead and message.startswith(lead):
        message = message[len(lead):].lstrip(" :,")
    elif path and message.startswith(field_label(path[:1])):
        message = message[len(field_label(path[:1])):].lstrip(" :,")
    rest = path[2:] if path and path[0] == "stakeholders" else path[1:]
    where = ", ".join(f"item {part + 1}" if isinstance(part, int) else _SUB.get(part, str(part)) for part in rest)
    suggestion = finding.suggestion
    if suggestion and any(h in suggestion for h in _YAML_HINTS):
        suggestion = "choose one of the values offered in the form" if finding.rule == "schema/enum" else None
    if finding.match and finding.rule.startswith("neutrality/") and finding.match not in message:
        message = f"“{finding.match}”: {message}"
    label = form_field.label if form_field else ""
    return FormFinding(finding.severity, form_field.id if form_field else "", label, message, suggestion, finding.rule, where)


# ---------------------------------------------------------------------------
# The proposal


def _problems(parsed: Parsed) -> list[FormFinding]:
    out = []
    for p in parsed.problems:
        f = parsed.form.field(p.field)
        out.append(FormFinding(ERROR, p.field, f.label if f else "", p.message, p.suggestion, "form/value"))
    return out


def build_proposal(parsed: Parsed, ctx: Context, registry: dict[str, bytes], today: str) -> Proposal:
    """Build and check the entry a form describes. ``registry``: the default
    branch's entries (path -> bytes); ``today``: YYYY-MM-DD for
    ``last_reviewed`` of a new entry."""
    if parsed.form.kind == CORRECTION:
        return _correction(parsed, ctx, registry)
    return _new(parsed, ctx, registry, today)


def _stakeholders(values: dict, ctx: Context) -> dict:
    order = [t.slug for t in ctx.vocabularies.stakeholder_groups]
    groups = {k.split("/", 1)[1]: v for k, v in values.items() if k.startswith("stakeholders/") and v != CLEAR}
    return {g: groups[g] for g in sorted(groups, key=lambda g: order.index(g) if g in order else len(order))}


def _new(parsed: Parsed, ctx: Context, registry: dict, today: str) -> Proposal:
    form = parsed.form
    values = {k: v for k, v in parsed.values.items() if v != CLEAR}
    findings = _problems(parsed)
    for f in form.fields:
        if f.required and f.target and f.target not in values and not any(x.field == f.id for x in findings):
            findings.append(FormFinding(ERROR, f.id, f.label, "is empty; it is required", None, "form/required"))
    entry_id = values.get("id")
    if not entry_id and isinstance(values.get("name"), str):
        entry_id = slugify(values["name"])
    data = {k: v for k, v in values.items() if not k.startswith("stakeholders/") and k != "id"}
    if entry_id:
        data["id"] = entry_id
    groups = _stakeholders(values, ctx)
    if groups:
        data["stakeholders"] = groups
    data["last_reviewed"] = today
    data["verification"] = "pending"
    ok_id = valid_id(entry_id)
    path = f"{ENTRIES}{entry_id}.yaml" if ok_id else "-"
    if ok_id and path in registry:
        findings.append(
            FormFinding(ERROR, "id", form.field("id").label,
                        f"an entry with the identifier `{entry_id}` is already in the registry",
                        "if it is the same mechanism, use the “Correct an entry” form; otherwise write another identifier",
                        "registry/duplicate-id")
        )
    text = dump_new(data, path)
    if text is None:
        findings.append(FormFinding(ERROR, "", "", "the bot could not write these answers as an entry safely", "remove unusual characters and try again", "form/unsafe"))
        return Proposal(form.kind, entry_id if ok_id else None, path if ok_id else None, None, tuple(findings))
    result = check_texts(ctx, {path: text.encode("utf-8")}, registry)
    for finding in result.findings:
        if finding.rule == "schema/required":
            continue  # said above, per form field
        findings.append(to_form_finding(finding, form, False, "id"))
    findings = _dedupe(findings)
    errors = any(f.is_error for f in findings)
    return Proposal(form.kind, entry_id if ok_id else None, path if ok_id else None, None if errors else text.encode("utf-8"), tuple(findings))


def _correction(parsed: Parsed, ctx: Context, registry: dict) -> Proposal:
    form = parsed.form
    findings = _problems(parsed)
    entry_id = (parsed.entry or "").strip().strip("`").lower() if parsed.entry else ""
    label = form.field("entry").label
    if not entry_id:
        findings.append(FormFinding(ERROR, "entry", label, "is empty; it is required", "write the identifier shown on the entry's page", "form/required"))
        return Proposal(form.kind, None, None, None, tuple(findings))
    if not valid_id(entry_id):
        slug = slugify(entry_id)
        findings.append(
            FormFinding(ERROR, "entry", label,
                        "must be an entry's identifier: lower-case letters, digits and single hyphens",
                        f"for example `{slug}`" if slug else None, "form/entry")
        )
        return Proposal(form.kind, None, None, None, tuple(findings))
    path = f"{ENTRIES}{entry_id}.yaml"
    if path not in registry:
        findings.append(
            FormFinding(ERROR, "entry", label, f"there is no entry `{entry_id}` in the registry",
                        "copy the identifier from the entry's page, or use the “Propose a new mechanism” form", "form/entry")
        )
        return Proposal(form.kind, entry_id, path, None, tuple(findings))
    changes = dict(parsed.values)
    if not changes and not findings:
        findings.append(FormFinding(ERROR, "", "", "no field is filled in, so there is nothing to correct",
                                    "fill in only the fields you want to change", "form/empty"))
    if any(f.is_error for f in findings):
        return Proposal(form.kind, entry_id, path, None, tuple(findings))
    if "id" in changes:
        changes.pop("id")
    current = registry[path].decode("utf-8", "replace")
    text, _expected = _apply_correction(current, changes, path)
    if text is None:
        findings.append(FormFinding(ERROR, "", "", "the bot could not apply these answers to the entry safely", "remove unusual characters and try again", "form/unsafe"))
        return Proposal(form.kind, entry_id, path, None, tuple(findings))
    if _plain(load_text(path, text).data) == _plain(load_text(path, current).data):
        return Proposal(form.kind, entry_id, path, None, tuple(findings), unchanged=True)
    result = check_texts(ctx, {path: text.encode("utf-8")}, registry)
    changed = {k.split("/", 1)[0] for k in changes}
    for finding in result.findings:
        top = finding.field_path[0] if finding.field_path else None
        if not finding.is_error and top not in changed:
            continue  # wording already published in a field not touched here
        findings.append(to_form_finding(finding, form, True, "entry"))
    findings = _dedupe(findings)
    errors = any(f.is_error for f in findings)
    return Proposal(form.kind, entry_id, path, None if errors else text.encode("utf-8"), tuple(findings))


def _dedupe(findings: list[FormFinding]) -> list[FormFinding]:
    """One finding per thing to change: a web address without http:// is
    both a bad pattern and a bad format; the pattern's message is clearer."""
    patterns = {(f.field, f.where) for f in findings if f.rule == "schema/pattern"}
    findings = [f for f in findings if not (f.rule == "schema/format" and (f.field, f.where) in patterns)]
    seen, out = set(), []
    for f in findings:
        key = (f.severity, f.field, f.where, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    out.sort(key=lambda f: (0 if f.is_error else 1))
    return out

