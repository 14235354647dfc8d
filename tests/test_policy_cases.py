"""Review-policy scenarios: state in, plan and actions out (golden files),
and for every scenario: applying the actions and running again yields none."""

from __future__ import annotations

import os

import pytest

from bot.project import find_project
from bot.registry import Context
from tests.conftest import ROOT
from tests.policy_harness import (
    CASES,
    apply,
    apply_event,
    build_state,
    dump_yaml,
    load_yaml,
    run_once,
    summarize,
)

CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.fixture(scope="module")
def ctx():
    return Context.load(find_project(ROOT))


def run_case(case_dir, ctx):
    case = load_yaml(case_dir / "case.yaml")
    state = build_state(case, case_dir)
    plan, actions = run_once(state, case, ctx)
    for event in case.get("then", ()):
        state = apply(state, actions)
        state = apply_event(state, event, case_dir)
        plan, actions = run_once(state, case, ctx)
    return case, state, plan, actions


def test_every_case_has_a_note_and_expectations():
    assert len(CASE_DIRS) >= 20
    for case_dir in CASE_DIRS:
        case = load_yaml(case_dir / "case.yaml")
        assert case.get("note"), f"{case_dir.name}: add a one-line note of intent"
        assert (case_dir / "expected.yaml").exists() or os.environ.get("REGEN_GOLDEN"), case_dir.name


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=lambda p: p.name)
def test_case(case_dir, ctx):
    case, state, plan, actions = run_case(case_dir, ctx)
    got = summarize(plan, actions)
    expected_path = case_dir / "expected.yaml"
    if os.environ.get("REGEN_GOLDEN"):
        dump_yaml(got, expected_path)
    assert got == load_yaml(expected_path)
    for must in case.get("comment_contains", ()):
        body = next((getattr(a, "body", "") for a in actions if hasattr(a, "body")), None)
        if body is None:
            body = next(c.body for c in state.comments if c.user.login == "registry-bot[bot]")
        assert must in body, f"comment lacks {must!r}"


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=lambda p: p.name)
def test_rerun_on_resulting_state_yields_no_actions(case_dir, ctx):
    case, state, plan, actions = run_case(case_dir, ctx)
    after = apply(state, actions)
    _, again = run_once(after, case, ctx)
    assert again == (), f"not converged: {again}"
