"""Test registries for the site tests: the real schema and vocabularies
copied into a temporary folder, with entries written by the test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

HOSTILE = {
    "script": "<script>alert('x')</script>",
    "attr": '"><img src=x onerror=alert(1)>',
    "formula": "=HYPERLINK(\"http://evil.example\",\"click\")",
    "pipe": "a | b\n| c |",
}


def make_registry(root: Path, entries: list[dict] | None = None) -> Path:
    """A registry in ``root`` with the real schema and ``entries``."""
    root = Path(root)
    (root / "schema").mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "schema" / "vocabularies", root / "schema" / "vocabularies", dirs_exist_ok=True)
    shutil.copyfile(REPO / "schema" / "entry.schema.json", root / "schema" / "entry.schema.json")
    (root / "entries").mkdir(exist_ok=True)
    for data in entries or ():
        write_entry(root, data)
    return root


def write_entry(root: Path, data: dict, raw: str | None = None) -> Path:
    path = Path(root) / "entries" / f"{data['id']}.yaml"
    # JSON is YAML: a safe way to write any text the tests need.
    path.write_text(raw if raw is not None else json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def entry(entry_id: str, **fields) -> dict:
    data = {
        "id": entry_id,
        "name": fields.pop("name", entry_id.replace("-", " ").title()),
        "organizations": ["Example Organisation"],
        "issue_areas": ["cybersecurity"],
        "scope": "international",
        "description": "A forum where participants exchange information on the issue and agree on voluntary guidelines.",
        "urls": [f"https://example.org/{entry_id}"],
        "last_reviewed": "2026-01-15",
    }
    data.update(fields)
    return data


def sample_entries() -> list[dict]:
    """Five mechanisms with known coverage, one with hostile text."""
    return [
        entry(
            "cert-network",
            name="Regional CERT Network",
            issue_areas=["cybersecurity", "capacity-development"],
            scope="regional",
            regions=["009"],
            stakeholders={"governments": "member", "technical-community": "member", "civil-society": "none"},
            gaps=[{"type": "capacity", "issue_area": "cybersecurity", "note": "Small members lack trained staff."}],
            verification="verified",
        ),
        entry(
            "privacy-forum",
            name="Privacy Forum",
            issue_areas=["privacy-and-data-protection"],
            scope="international",
            stakeholders={"governments": "observer", "civil-society": "member", "private-sector": "consulted"},
            verification="pending",
        ),
        entry(
            "national-dns-board",
            name="National DNS Board",
            issue_areas=["domain-name-system"],
            scope="national",
            countries=["FR"],
            stakeholders={"governments": "member"},
            gaps=[{"type": "awareness", "note": "Few users know the board exists."}],
        ),
        entry(
            "spam-coalition",
            name="Anti-Spam Coalition",
            issue_areas=["spam", "cybersecurity"],
            scope="international",
            stakeholders={"private-sector": "member", "technical-community": "member"},
        ),
        entry(
            "hostile-entry",
            name=HOSTILE["script"] + " " + HOSTILE["attr"],
            acronym="=1+1",
            organizations=[HOSTILE["formula"], "@SUM(A1:A2)", "-cmd|' /C calc'!A0", "Org | With | Pipes"],
            issue_areas=["cybercrime"],
            scope="regional",
            description=(
                "Text with markup " + HOSTILE["script"] + " and an attribute breaker " + HOSTILE["attr"]
                + " and [a link](javascript:alert(1)) and a pipe " + HOSTILE["pipe"] + " and *stars* end."
            ),
            urls=["https://example.org/hostile?a=1&b=%22%3E"],
            sources=[{"type": "web-page", "title": "<b>bold</b> source", "url": "https://example.org/s"}],
            gaps=[{"type": "research", "note": "<script>gap()</script> note"}],
            verification="pending",
        ),
    ]
