"""Controlled vocabularies, kept as data in ``schema/vocabularies/``.

The chairs extend them by pull request; the schema takes its allowed values
from here (``x-vocabulary`` in the schema), and so do the forms and the site.
A broken vocabulary file is reported as findings against that file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.findings import ERROR, Finding, Span
from bot.loading import Document, load_file

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Term:
    slug: str
    title: str
    help: str = ""
    cluster: str | None = None  # issue areas only


@dataclass(frozen=True)
class Vocabularies:
    clusters: tuple[Term, ...]
    issue_areas: tuple[Term, ...]
    stakeholder_groups: tuple[Term, ...]
    participation_levels: tuple[Term, ...]
    mechanism_types: tuple[Term, ...]
    gap_types: tuple[Term, ...]
    statuses: tuple[Term, ...]
    source_types: tuple[Term, ...]
    regions: tuple[Term, ...]
    countries: tuple[Term, ...]

    # name used by `x-vocabulary` in the schema -> attribute
    NAMES = {
        "issue-areas": "issue_areas",
        "stakeholder-groups": "stakeholder_groups",
        "participation-levels": "participation_levels",
        "mechanism-types": "mechanism_types",
        "gap-types": "gap_types",
        "statuses": "statuses",
        "source-types": "source_types",
        "regions": "regions",
        "countries": "countries",
    }

    def terms(self, name: str) -> tuple[Term, ...]:
        return getattr(self, self.NAMES.get(name, name))

    def slugs(self, name: str) -> list[str]:
        return [t.slug for t in self.terms(name)]

    def title(self, name: str, slug: str) -> str:
        for term in self.terms(name):
            if term.slug == slug:
                return term.title
        return slug

    def cluster_of(self, issue_area: str) -> str | None:
        for term in self.issue_areas:
            if term.slug == issue_area:
                return term.cluster
        return None


class VocabularyError(Exception):
    def __init__(self, findings):
        super().__init__("; ".join(f"{f.path}:{f.line}:{f.column}: {f.message}" for f in findings))
        self.findings = list(findings)


# file -> {key in file: vocabulary attribute}
_FILES = {
    "issue-areas.yaml": None,  # special: clusters with issues
    "stakeholder-groups.yaml": {"groups": "stakeholder_groups", "levels": "participation_levels"},
    "mechanisms.yaml": {
        "types": "mechanism_types",
        "gap_types": "gap_types",
        "statuses": "statuses",
        "source_types": "source_types",
    },
    "regions.yaml": {"regions": "regions"},
    "countries.yaml": {"countries": "countries"},
}

# Vocabularies whose items are keyed by `code` (not `slug`), and the form of a code.
_CODES = {
    "regions": (re.compile(r"^[0-9]{3}$"), 'three digits in quotes, such as "009"'),
    "countries": (re.compile(r"^[A-Z]{2}$"), 'two capital letters in quotes, such as "FJ"'),
}


class _Reader:
    def __init__(self, doc: Document, display: str):
        self.doc = doc
        self.path = display
        self.findings: list[Finding] = []

    def problem(self, field_path, message):
        node = self.doc.node_at(field_path) if self.doc.root is not None else None
        span = node.span if node is not None else Span.point(1, 1)
        self.findings.append(Finding.at(self.path, span, ERROR, "vocabulary/invalid", message, field_path=tuple(field_path)))

    def terms(self, items, field_path, key="slug", cluster=None, code=None) -> list[Term]:
        out, seen = [], set()
        if not isinstance(items, list) or not items:
            self.problem(field_path, f"`{'.'.join(map(str, field_path))}` must be a non-empty list")
            return out
        for index, item in enumerate(items):
            here = (*field_path, index)
            if not isinstance(item, dict):
                self.problem(here, f"each item must be a mapping with `{key}` and `title`")
                continue
            slug, title = item.get(key), item.get("title")
            if code is not None:
                if not isinstance(slug, str) or not code[0].match(slug):
                    self.problem((*here, key), f"`{key}` must be {code[1]}")
                    continue
            elif not isinstance(slug, str) or not SLUG.match(slug):
                self.problem((*here, key), f"`{key}` must be lower-case words joined by hyphens, such as `net-neutrality`")
                continue
            if not isinstance(title, str) or not title.strip():
                self.problem((*here, "title"), "`title` must be a non-empty text")
                continue
            if slug in seen:
                self.problem((*here, key), f"`{slug}` is listed twice")
                continue
            seen.add(slug)
            help_text = item.get("help", "")
            out.append(Term(slug, title.strip(), help_text if isinstance(help_text, str) else "", cluster))
        return out


def load_vocabularies(directory: Path, display_prefix: str = "schema/vocabularies") -> Vocabularies:
    """Read all vocabulary files; raise VocabularyError with findings if broken."""
    values: dict[str, list[Term]] = {}
    findings: list[Finding] = []
    for filename, mapping in _FILES.items():
        display = f"{display_prefix}/{filename}"
        doc = load_file(directory / filename, display)
        if not doc.ok:
            findings.extend(doc.findings)
            continue
        reader = _Reader(doc, display)
        data = doc.data if isinstance(doc.data, dict) else {}
        if mapping is None:
            clusters, issues = [], []
            cluster_items = data.get("clusters")
            for term in reader.terms(cluster_items, ("clusters",)):
                clusters.append(term)
            if isinstance(cluster_items, list):
                for index, item in enumerate(cluster_items):
                    if isinstance(item, dict) and isinstance(item.get("slug"), str):
                        issues.extend(reader.terms(item.get("issues"), ("clusters", index, "issues"), cluster=item["slug"]))
            seen: set[str] = set()
            for term in issues:
                if term.slug in seen:
                    reader.problem(("clusters",), f"issue area `{term.slug}` is listed in two clusters")
                seen.add(term.slug)
            values["clusters"], values["issue_areas"] = clusters, issues
        else:
            for key, attribute in mapping.items():
                code = _CODES.get(attribute)
                values[attribute] = reader.terms(data.get(key), (key,), key="code" if code else "slug", code=code)
        findings.extend(reader.findings)
    if findings:
        raise VocabularyError(findings)
    return Vocabularies(**{name: tuple(terms) for name, terms in values.items()})
