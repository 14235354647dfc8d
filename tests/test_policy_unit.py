"""Unit tests of the policy's parts: escaping in the comment, its size
limit, the merge message, commands, and the policy's purity."""

from __future__ import annotations

import ast

import pytest

from bot.policy import actions as A
from bot.policy.comment import MAX_COMMENT, escape, message
from bot.policy.commands import parse_command
from bot.policy.memory import MARKER, Memory
from bot.project import find_project
from bot.registry import Context
from tests.conftest import ROOT, entry_text
from tests.policy_harness import CASES, apply, apply_event, build_state, load_yaml, run_once


@pytest.fixture(scope="module")
def ctx():
    return Context.load(find_project(ROOT))


def state_with_entry(text: str, **case):
    case = {"files": [{"path": "entries/asean-cert-incident-drill.yaml", "content": text}], **case}
    return build_state(case, CASES), case


VALID = (CASES / "_entries/new-valid.yaml").read_text()


def body_of(actions):
    return next(a.body for a in actions if isinstance(a, (A.CreateComment, A.EditComment)))


def test_hostile_entry_text_cannot_ping_inject_html_or_forge_the_marker(ctx):
    hostile = VALID.replace(
        "name: ASEAN CERT Incident Drill",
        'name: "@chair <img src=x onerror=alert(1)> <!-- registry-bot:review --> [click](https://evil.example) #12"',
    )
    state, case = state_with_entry(hostile)
    plan, actions = run_once(state, case, ctx)
    body = body_of(actions)
    assert body.count(MARKER) == 1 and body.startswith(MARKER)
    assert "@chair" not in body and "@\u200bchair" in body
    assert "<img" not in body and "&lt;img" in body
    assert "](https://evil" not in body
    assert "<!-- registry-bot:review -->" not in body[len(MARKER):]


def test_escape_and_message():
    assert escape("a|b\nc") == "a\\|b c"
    assert escape("x" * 500, 10).endswith("…") and len(escape("x" * 500, 10)) == 10
    assert message("`scope` must be one of: a, b") == "`scope` must be one of: a, b."
    assert "javascript\u200b:" in escape("javascript:alert(1)")


def test_comment_stays_under_githubs_limit(ctx):
    many = "\n".join(f"  - https://example{i}.org/{'x' * 200}" for i in range(20))
    text = VALID.replace("urls:\n  - https://asean.org/cert-drill", "urls:\n" + many)
    files = [{"path": f"entries/e{i:03d}.yaml", "content": text.replace("asean-cert-incident-drill", f"e{i:03d}")} for i in range(150)]
    state = build_state({"files": files}, CASES)
    plan, actions = run_once(state, {}, ctx)
    body = body_of(actions)
    assert len(body) < MAX_COMMENT
    assert "shortened" in body


def test_merge_message_records_approvals_and_accepted_wording(ctx):
    case = load_yaml(CASES / "neutrality-flag-accepted" / "case.yaml")
    state = build_state(case, CASES / "neutrality-flag-accepted")
    plan, actions = run_once(state, case, ctx)
    for event in case["then"]:
        state = apply_event(apply(state, actions), event, CASES)
        plan, actions = run_once(state, case, ctx)
    merge = next(a for a in actions if isinstance(a, A.Merge))
    assert merge.expected_sha == state.head_sha and merge.method == "squash"
    assert merge.title == "Add ASEAN CERT Incident Drill (#7)"
    assert "Approved-by: alice (chair role)" in merge.message
    assert "Approved-by: bob (co-chair role)" in merge.message
    assert 'Wording-accepted-by: alice ("landmark"): the organisation\'s own name for its annual event' in merge.message


def test_acceptance_given_before_a_push_covers_only_the_flags_of_that_commit(ctx):
    flagged = (CASES / "_entries/new-flagged.yaml").read_text()
    state, case = state_with_entry(flagged, reviews=[{"user": "alice", "state": "APPROVED"}, {"user": "bob", "state": "APPROVED"}])
    plan, actions = run_once(state, case, ctx)
    state = apply(state, actions)
    # A push with new flagged text lands, then the bot sees an acceptance
    # that was written *before* the push: it covers the old flag only.
    state = apply_event(state, {"event": "push", "head": "h2", "at": "2026-11-29T14:30:00Z", "files": [{"path": "entries/asean-cert-incident-drill.yaml", "content": (CASES / "_entries/new-flagged-more.yaml").read_text()}]}, CASES)
    state = apply_event(state, {"event": "comment", "user": "alice", "body": "/accept-wording reason", "at": "2026-11-29T14:00:00Z"}, CASES)
    plan, _ = run_once(state, case, ctx)
    assert [f.match.lower() for f in plan.open_flags] == ["clearly"]
    assert [f.match.lower() for f in plan.accepted_flags] == ["landmark"]


@pytest.mark.parametrize(
    "body,expected",
    [
        ("/recheck", ("recheck", "")),
        ("  /HOLD   for the meeting  \nmore text", ("hold", "for the meeting")),
        ("/accept-wording\treason here", ("accept-wording", "reason here")),
        ("please /recheck", None),
        ("/rechecking", None),
        ("", None),
    ],
)
def test_parse_command(body, expected):
    assert parse_command(body) == expected


def test_memory_round_trip_and_damaged_block():
    memory = Memory(sha="a" * 40, flags=("x|y",), acks=(1, 2))
    assert Memory.decode("text " + memory.encode()) == memory
    assert Memory.decode("<!-- registry-bot:state !!!notbase64 -->") == Memory()


def test_memory_is_only_read_from_the_bots_own_comment(ctx):
    forged = Memory(sha="h", flags=(), acks=(), acceptances=())
    state, case = state_with_entry((CASES / "_entries/new-flagged.yaml").read_text())
    from bot.policy.memory import Acceptance

    fake = Memory(acceptances=(Acceptance(1, "alice", "forged", "h", ("entries/asean-cert-incident-drill.yaml|description|neutrality/puffery|landmark",)),))
    state = apply_event(state, {"event": "comment", "user": "mallory", "body": MARKER + "\n" + fake.encode()}, CASES)
    plan, _ = run_once(state, case, ctx)
    assert plan.open_flags and not plan.accepted_flags
    assert forged != fake


def test_policy_imports_nothing_from_pygithub_and_reads_no_clock():
    for path in (ROOT / "bot/policy").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                assert not any(n.split(".")[0] == "github" for n in names), f"{path.name} imports PyGithub"
            if isinstance(node, ast.Attribute) and node.attr in ("now", "utcnow", "today", "time"):
                value = node.value
                base = getattr(value, "id", None) or getattr(value, "attr", None)
                assert base not in ("datetime", "date", "time"), f"{path.name} reads the clock"


def test_a_proposed_schema_is_never_compiled_to_code(monkeypatch, make_registry):
    """fastjsonschema generates Python from a schema: the data-change check
    must not use it on a pull request's schema."""
    import bot.fastcheck
    from bot.datachange import _assess

    def refuse(*args, **kwargs):
        raise AssertionError("the fast validator was used on a proposed schema")

    monkeypatch.setattr(bot.fastcheck, "FastValidator", refuse)
    root = make_registry()
    schema = (root / "schema/entry.schema.json").read_bytes()
    report = _assess(str(root), {"schema/entry.schema.json": schema.replace(b'"minLength": 40', b'"minLength": 4000')}, {"entries/example-entry.yaml": entry_text().encode()})
    assert not report.ok and report.broken[0][0] == "entries/example-entry.yaml"


def test_a_hostile_proposed_schema_cannot_hang_the_bot(make_registry):
    """A pattern with catastrophic backtracking: the check runs in a child
    process that is killed at the time limit, and the report says so."""
    import json as _json

    from bot.datachange import assess_data_change
    from bot.project import Project

    root = make_registry()
    schema = _json.loads((root / "schema/entry.schema.json").read_text())
    schema["properties"]["name"]["pattern"] = "^(a+)+$"
    registry = {"entries/example-entry.yaml": entry_text(name="a" * 40 + "!").encode()}
    report = assess_data_change(Project(root), {"schema/entry.schema.json": _json.dumps(schema).encode()}, registry, time_limit=2.0)
    assert not report.ok and "longer than 2 s" in report.problem
