"""The entry schema: resolve it with the vocabularies, validate, and turn
validation errors into findings at the exact line and column, in plain words.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import json
import re
from functools import lru_cache
from pathlib import Path

from bot.findings import ERROR, Finding, Span
from bot.loading import Document
from bot.vocabularies import Vocabularies

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class SchemaError(Exception):
    """The schema file itself is missing or broken (not a contribution problem)."""


def _check_date(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    from rfc3986_validator import validate_rfc3986

    return bool(validate_rfc3986(value, rule="URI"))


def __getattr__(name):
    # jsonschema is imported when first needed: a check answered by the fast
    # path or the cache does not pay for it (a tenth of a second at start).
    if name == "FORMAT_CHECKER":
        return _format_checker()
    raise AttributeError(name)


@lru_cache(maxsize=1)
def _format_checker():
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    checker.checks("date")(_check_date)
    checker.checks("uri")(_check_uri)
    return checker


def resolve_schema(raw: dict, vocabularies: Vocabularies) -> dict:
    """The schema with every ``x-vocabulary`` replaced by its allowed values."""
    schema = copy.deepcopy(raw)

    def walk(node):
        if isinstance(node, dict):
            name = node.get("x-vocabulary")
            if isinstance(name, str):
                try:
                    terms = vocabularies.terms(name)
                except AttributeError:
                    raise SchemaError(f"the schema refers to an unknown vocabulary `{name}`") from None
                node["enum"] = [t.slug for t in terms]
                # An annotation (ignored by validators): the titles, so that a
                # finding can suggest `FJ` to someone who wrote `Fiji`.
                node["x-titles"] = {t.slug: t.title for t in terms}
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def read_schema(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchemaError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise SchemaError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None


def make_validator(schema: dict):
    from jsonschema import Draft202012Validator

    try:
        Draft202012Validator.check_schema(schema)
    except Exception as exc:  # jsonschema.SchemaError
        where = "/".join(map(str, getattr(exc, "absolute_path", ()))) or "(top)"
        raise SchemaError(f"the entry schema is not a valid JSON Schema at {where}: {getattr(exc, 'message', exc)}") from None
    return Draft202012Validator(schema, format_checker=_format_checker())


# ---------------------------------------------------------------------------
# Errors -> findings


def field_label(path) -> str:
    """A JSON path in words: `urls` item 2, `stakeholders` -> `civil-society`."""
    if not path:
        return "the entry"
    out = []
    for part in path:
        if isinstance(part, int):
            out.append(f"item {part + 1}")
        else:
            out.append(f"`{part}`")
    text = out[0]
    for piece in out[1:]:
        text += f" {piece}" if piece.startswith("item") else f", {piece}"
    return text


def did_you_mean(value, choices) -> str | None:
    if not isinstance(value, str):
        return None
    lowered = {c.lower(): c for c in choices}
    if value.lower() in lowered and lowered[value.lower()] != value:
        return lowered[value.lower()]
    normalised = value.strip().lower().replace(" ", "-").replace("_", "-")
    if normalised in lowered and lowered[normalised] != value:
        return lowered[normalised]
    matches = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[matches[0]] if matches else None


def _choices_text(choices, limit=8) -> str:
    if len(choices) <= limit:
        return ", ".join(choices)
    return ", ".join(choices[:limit]) + f" and {len(choices) - limit} more"


_TYPE_WORDS = {
    "array": "a list (one `- item` per line)",
    "object": "a group of `field: value` lines",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}

_PATTERN_HELP = {
    "id": "lower-case letters, digits and single hyphens, such as `pacific-cert-network`",
    "start_date": "a year, year and month, or full date: `2011`, `2011-06` or `2011-06-28`",
    "date": "a year, year and month, or full date: `2011`, `2011-06` or `2011-06-28`",
}

_VOCAB_FILES = {
    "issue-areas": "schema/vocabularies/issue-areas.yaml",
    "stakeholder-groups": "schema/vocabularies/stakeholder-groups.yaml",
    "participation-levels": "schema/vocabularies/stakeholder-groups.yaml",
    "mechanism-types": "schema/vocabularies/mechanisms.yaml",
    "gap-types": "schema/vocabularies/mechanisms.yaml",
    "statuses": "schema/vocabularies/mechanisms.yaml",
    "source-types": "schema/vocabularies/mechanisms.yaml",
    "regions": "schema/vocabularies/regions.yaml",
    "countries": "schema/vocabularies/countries.yaml",
}

# Codes people write that ISO 3166-1 reserves for another use ("exceptionally
# reserved"): the country's code in ISO 3166-1.
_RESERVED_COUNTRY_CODES = {"UK": "GB", "EL": "GR"}


def vocabulary_guess(value, vocab: str, titles: dict) -> tuple[str, str] | None:
    """(value, title) to suggest for a value that is not in a vocabulary: a close
    value, or the value whose title the contributor wrote ("Fiji" -> FJ)."""
    if not isinstance(value, str) or not titles:
        return None
    if vocab == "countries" and value.strip().upper() in _RESERVED_COUNTRY_CODES:
        code = _RESERVED_COUNTRY_CODES[value.strip().upper()]
        return (code, titles.get(code, code)) if code in titles else None
    guess = did_you_mean(value, list(titles))
    if guess is None:
        wanted = " ".join(value.replace(",", " ").lower().split())
        for slug, title in titles.items():
            words = " ".join(title.replace(",", " ").lower().split())
            short = " ".join(title.split(",")[0].lower().split())
            if wanted and wanted in (words, short):
                guess = slug
                break
        else:
            by_title = did_you_mean(value, list(titles.values()))
            guess = next((slug for slug, title in titles.items() if title == by_title), None)
    return (guess, titles[guess]) if guess is not None else None


def _short(value, limit=60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Mapper:
    """Turns jsonschema errors for one document into findings."""

    def __init__(self, doc: Document, schema: dict):
        self.doc = doc
        self.schema = schema
        self.properties = schema.get("properties", {})
        self.findings: list[Finding] = []
        self.seen: set = set()

    def add(self, path, span: Span, rule: str, message: str, suggestion=None):
        key = (rule, tuple(path), span)
        if key in self.seen:
            return
        self.seen.add(key)
        self.findings.append(
            Finding.at(self.doc.path, span, ERROR, rule, message, suggestion=suggestion, field_path=tuple(path))
        )

    def value_span(self, path) -> Span:
        node = self.doc.node_at(path)
        if node is None:
            return Span.point(1, 1)
        if node.kind != "scalar":
            # point at the start of a block list/mapping, one line wide
            return Span.point(node.line, node.column, 1)
        return node.span

    def key_span(self, path) -> Span:
        parent = self.doc.node_at(path[:-1])
        if parent is not None and parent.kind == "mapping":
            key = parent.key_node(path[-1])
            if key is not None:
                return key.span
        return self.value_span(path)

    def mapping_span(self, path) -> Span:
        """For a missing key: the line of the parent's key, or line 1."""
        if path:
            return self.key_span(path)
        root = self.doc.root
        if root is not None and root.kind == "mapping" and root.keys:
            first = next(iter(root.keys.values()))
            return Span.point(first.line, first.column, len(str(first.value)))
        return Span.point(1, 1)

    def vocabulary(self, error):
        schema = error.schema if isinstance(error.schema, dict) else {}
        return schema.get("x-vocabulary")

    def handle(self, error):
        kind = error.validator
        path = tuple(error.absolute_path)
        label = field_label(path)
        value = error.instance
        if "propertyNames" in error.absolute_schema_path and kind == "enum":
            name = value
            choices = list(error.validator_value)
            guess = did_you_mean(name, choices)
            suggestion = f'did you mean "{guess}"?' if guess else f"allowed: {_choices_text(choices, 10)}"
            what = "a stakeholder group" if self.vocabulary(error) == "stakeholder-groups" else "an allowed name here"
            self.add((*path, name), self.key_span((*path, name)), "schema/enum", f"`{_short(name)}` in {label} is not {what}", suggestion)
        elif kind == "required":
            missing = [k for k in error.validator_value if isinstance(value, dict) and k not in value]
            if not missing or (path, "required") in self.seen:
                return
            self.seen.add((path, "required"))
            hints = []
            for name in missing:
                typo = next((k for k in value if k != name and did_you_mean(k, [name]) == name), None)
                if typo:
                    hints.append(f"`{typo}` looks like a misspelling of `{name}`")
                else:
                    help_text = self.properties.get(name, {}).get("description", "") if not path else ""
                    hints.append(f"add a line `{name}: ...`" + (f" ({help_text.rstrip('.')})" if help_text else ""))
            where = "the entry" if not path else label
            names = ", ".join(f"`{m}`" for m in missing)
            message = (
                f"{where} is missing the required field {names}"
                if len(missing) == 1
                else f"{where} is missing {len(missing)} required fields: {names}"
            )
            self.add(path, self.mapping_span(path), "schema/required", message, "\n".join(hints))
        elif kind == "additionalProperties":
            allowed = list((error.schema or {}).get("properties", {}))
            extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
            for name in extras:
                guess = did_you_mean(name, allowed)
                suggestion = f"did you mean `{guess}`?" if guess else f"allowed fields here: {_choices_text(allowed, 20)}"
                where = "an entry" if not path else label
                self.add((*path, name), self.key_span((*path, name)), "schema/unknown-field", f"`{name}` is not a field of {where}", suggestion)
        elif kind == "enum":
            choices = list(error.validator_value)
            vocab = self.vocabulary(error)
            guess = did_you_mean(value, [str(c) for c in choices])
            if vocab and len(choices) > 8:
                message = f"{label}: `{_short(value)}` is not in the {vocab.replace('-', ' ')} vocabulary"
                if vocab == "countries":
                    message = f"{label}: `{_short(value)}` is not a country code of ISO 3166-1 (two capital letters)"
                titled = vocabulary_guess(value, vocab, (error.schema or {}).get("x-titles") or {})
                if vocab == "countries" and isinstance(value, str) and value.strip().upper() == "EU":
                    suggestion = "`EU` stands for the European Union, which is not a country: list the member states concerned, or use `regions`"
                elif titled and titled[1].lower().replace(" ", "-") != titled[0].lower():  # the title adds something
                    suggestion = f'did you mean "{titled[0]}" ({titled[1]})?'
                elif titled or guess:
                    suggestion = f'did you mean "{titled[0] if titled else guess}"?'
                else:
                    suggestion = f"see {_VOCAB_FILES.get(vocab, 'schema/vocabularies/')} for the allowed values"
            else:
                message = f"{label} must be one of: {', '.join(map(str, choices))}"
                suggestion = f'did you mean "{guess}"?' if guess else None
            self.add(path, self.value_span(path), "schema/enum", message, suggestion)
        elif kind == "type":
            expected = error.validator_value
            expected = expected if isinstance(expected, list) else [expected]
            words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
            suggestion = None
            if "string" in expected and value is not None and not isinstance(value, (list, dict)):
                suggestion = f'put the value in double quotes: "{_short(value)}"'
            if "array" in expected and isinstance(value, str):
                suggestion = f"write it as a list:\n    {path[-1] if path else 'field'}:\n      - {_short(value)}"
            if value is None:
                self.add(path, self.key_span(path), "schema/type", f"{label} is empty; it must be {words}", "fill it in, or delete the line if the field is optional")
            else:
                self.add(path, self.value_span(path), "schema/type", f"{label} must be {words}", suggestion)
        elif kind in ("minItems", "maxItems"):
            n = error.validator_value
            if kind == "minItems":
                message = f"{label} needs at least {n} item{'s' if n != 1 else ''}"
            else:
                message = f"{label} has {len(value)} items; at most {n} are allowed"
            self.add(path, self.key_span(path), f"schema/{kind.lower()}", message)
        elif kind in ("minLength", "maxLength"):
            n = error.validator_value
            length = len(value) if isinstance(value, str) else 0
            if kind == "minLength":
                message = f"{label} is too short ({length} characters; at least {n})" if length else f"{label} is empty"
                self.add(path, self.value_span(path) if length else self.key_span(path), "schema/too-short", message, "write a complete value")
            else:
                message = f"{label} is too long ({length:,} characters; at most {n:,})"
                self.add(path, self.key_span(path), "schema/too-long", message, "shorten it; details can go in a linked source")
        elif kind == "pattern":
            field = next((p for p in reversed(path) if isinstance(p, str)), "")
            if error.validator_value.startswith("^https?://"):
                message = f"{label} must be a full web address starting with http:// or https://: `{_short(value)}`"
                suggestion = "copy the address from the browser's address bar, for example https://www.example.org/page"
            elif error.validator_value.startswith("^[^\\n]"):
                message = f"{label} must be one line of text"
                suggestion = "remove the line breaks"
            else:
                message = f"{label} must be {_PATTERN_HELP.get(field, 'in the expected form')}: `{_short(value)}` is not"
                suggestion = None
                if field == "id" and isinstance(value, str):
                    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
                    suggestion = f"for example `{slug}`" if slug else None
            self.add(path, self.value_span(path), "schema/pattern", message, suggestion)
        elif kind == "format":
            if error.validator_value == "date":
                message = f"{label} is not a real date: `{_short(value)}`"
                suggestion = "write the date as YYYY-MM-DD, for example 2026-01-15"
            else:
                message = f"{label} is not a valid web address: `{_short(value)}`"
                suggestion = "check for spaces or unusual characters in the address"
            self.add(path, self.value_span(path), "schema/format", message, suggestion)
        elif kind == "uniqueItems":
            seen, duplicate = [], None
            for index, item in enumerate(value if isinstance(value, list) else []):
                if item in seen:
                    duplicate = index
                    break
                seen.append(item)
            target = (*path, duplicate) if duplicate is not None else path
            self.add(target, self.value_span(target), "schema/duplicate-item", f"{label} lists `{_short(value[duplicate]) if duplicate is not None else ''}` twice", "delete one of the two")
        else:
            self.add(path, self.value_span(path), f"schema/{kind}", f"{label}: {error.message}")


def validate_document(doc: Document, validator) -> list[Finding]:
    """Schema findings for a parsed document (which must have data)."""
    mapper = _Mapper(doc, validator.schema)
    for error in validator.iter_errors(doc.data):
        mapper.handle(error)
    return mapper.findings


@lru_cache(maxsize=8)
def _cached(schema_json: str):
    return make_validator(json.loads(schema_json))


def cached_validator(schema: dict):
    return _cached(json.dumps(schema, sort_keys=True))
