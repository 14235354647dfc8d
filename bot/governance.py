"""The governance config: who approves entries, who maintains the rest, the
bot's own login, label names. Read from the default branch's
``.github/governance.yml`` only, and validated like an entry."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator

from bot.loading import load_text
from bot.schema import validate_document

DEFAULT_LABELS = {
    "awaiting-changes": "awaiting-changes",
    "awaiting-review": "awaiting-review",
    "ready-to-merge": "ready-to-merge",
    "on-hold": "on-hold",
    "needs-maintainer": "needs-maintainer",
    "new-entry": "new-entry",
    "entry-update": "entry-update",
    "entry-removal": "entry-removal",
    "invalid": "invalid",
    "neutrality-flag": "neutrality-flag",
}

STATE_LABELS = ("awaiting-changes", "awaiting-review", "ready-to-merge", "on-hold", "needs-maintainer")
FLAG_LABELS = ("new-entry", "entry-update", "entry-removal", "invalid", "neutrality-flag")
LABEL_PREFIXES = ("scope:", "cluster:")

# Colour and description for labels the bot creates when they are missing.
LABEL_STYLE = {
    "awaiting-changes": ("d93f0b", "The author needs to change something (see the bot's comment)"),
    "awaiting-review": ("fbca04", "Waiting for the chair and co-chair to review"),
    "ready-to-merge": ("0e8a16", "Approved; the bot will merge"),
    "on-hold": ("5319e7", "Paused by /hold"),
    "needs-maintainer": ("b60205", "Changes something other than entries: maintainers review and merge"),
    "new-entry": ("1d76db", "Adds a mechanism"),
    "entry-update": ("c5def5", "Changes an existing mechanism"),
    "entry-removal": ("bfd4f2", "Removes a mechanism"),
    "invalid": ("e11d21", "An entry does not pass the checks"),
    "neutrality-flag": ("f9d0c4", "Wording to look at"),
    "scope:": ("ededed", "Scope of the changed entries"),
    "cluster:": ("ededed", "Issue cluster of the changed entries"),
}


class GovernanceError(Exception):
    """The governance file is missing or invalid: the bot cannot act."""


@dataclass(frozen=True)
class Person:
    login: str
    id: int | None = None
    name: str | None = None

    def matches(self, login: str | None, user_id: int | None) -> bool:
        """Numeric id when the config has one (logins can be renamed and then
        taken by someone else); otherwise the login, case-insensitively."""
        if self.id is not None:
            return user_id == self.id
        return login is not None and login.lower() == self.login.lower()

    @property
    def display(self) -> str:
        return self.name or self.login


@dataclass(frozen=True)
class Governance:
    chair: Person
    co_chair: Person
    bot_login: str
    alternates: tuple[Person, ...] = ()
    maintainers: tuple[Person, ...] = ()
    labels: dict = field(default_factory=lambda: dict(DEFAULT_LABELS))
    entry_paths: tuple[str, ...] = ("entries/",)
    comment_period_hours: float = 0
    publish_workflow: str = "publish.yml"

    @property
    def approvers(self) -> tuple[Person, ...]:
        return (self.chair, self.co_chair, *self.alternates)

    def is_approver(self, login, user_id=None) -> bool:
        return any(p.matches(login, user_id) for p in self.approvers)

    def is_maintainer(self, login, user_id=None) -> bool:
        return any(p.matches(login, user_id) for p in self.maintainers)

    def is_bot(self, login) -> bool:
        return login is not None and login.lower() == self.bot_login.lower()

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def is_entry_path(self, path: str) -> bool:
        """A file directly inside an entry folder with a YAML suffix."""
        for prefix in self.entry_paths:
            if path.startswith(prefix):
                rest = path[len(prefix) :]
                return "/" not in rest and rest.endswith((".yaml", ".yml"))
        return False


def _schema() -> dict:
    path = Path(__file__).resolve().parent.parent / "schema" / "governance.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def parse_governance(text: bytes | str, display: str = ".github/governance.yml", schema: dict | None = None) -> Governance:
    doc = load_text(display, text)
    findings = list(doc.findings)
    if doc.ok and isinstance(doc.data, dict):
        findings += validate_document(doc, Draft202012Validator(schema or _schema()))
    elif doc.ok:
        findings.append(None)
    errors = [f for f in findings if f is None or f.is_error]
    if errors:
        lines = [f"{f.path}:{f.line}:{f.column}: {f.message}" if f else f"{display}: must be a mapping" for f in errors]
        raise GovernanceError("the governance file is invalid: " + "; ".join(lines))
    data = doc.data

    def person(item) -> Person:
        return Person(item["login"], item.get("id"), item.get("name"))

    labels = dict(DEFAULT_LABELS)
    labels.update(data.get("labels") or {})
    return Governance(
        chair=person(data["chair"]),
        co_chair=person(data["co_chair"]),
        bot_login=data["bot"]["login"],
        alternates=tuple(person(p) for p in data.get("alternates") or ()),
        maintainers=tuple(person(p) for p in data.get("maintainers") or ()),
        labels=labels,
        entry_paths=tuple(data.get("entry_paths") or ("entries/",)),
        comment_period_hours=float(data.get("comment_period_hours") or 0),
        publish_workflow=data.get("publish_workflow") or "publish.yml",
    )


def load_governance(path: Path) -> Governance:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GovernanceError(f"{path}: cannot be read ({exc.strerror or exc}); see README, 'Deploying on a repository'") from None
    return parse_governance(raw, str(path))
