"""Helpers for intake tests: issue bodies written the way GitHub writes a
filled-in issue form (``### <label>``, a blank line, the answer, and
``_No response_`` for an optional field left empty)."""

from __future__ import annotations

from bot.intake.forms import Form, build_forms
from bot.registry import Context
from bot.project import Project
from tests.conftest import ROOT

_CTX = None


def context() -> Context:
    global _CTX
    if _CTX is None:
        _CTX = Context.load(Project(ROOT))
    return _CTX


def forms() -> tuple[Form, Form]:
    return build_forms(context().vocabularies)


def body(form: Form, answers: dict, *, newline: str = "\n") -> str:
    parts = []
    for f in form.fields:
        if f.id == "confirm":
            value = "- [X] " + f.choices[0][0]
        else:
            value = answers.get(f.id, "_No response_")
        parts.append(f"### {f.label}{newline}{newline}{value}")
    return (newline + newline).join(parts) + newline


VALID_NEW = {
    "name": "Pacific Islands Regional Cyber Drill",
    "organizations": "Pacific Islands Telecommunications Association\nPacific Cyber Security Operational Network",
    "issue_areas": "Security: Cybersecurity, Development: Capacity development",
    "scope": "Regional",
    "regions": "Oceania (009)",
    "description": (
        "An annual exercise, held since 2018, in which the national computer emergency response teams of "
        "Pacific island states test their procedures for responding to cross-border incidents."
    ),
    "urls": "https://www.pita.org.fj/cyber-drill",
    "stakeholders-governments": "Member (takes part in decisions as a full participant)",
    "stakeholders-technical-community": "Member (takes part in decisions as a full participant)",
}
