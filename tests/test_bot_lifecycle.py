"""The bot end to end: the real PyGithub adapter against the GitHub API
simulator (whose requests and responses are checked against GitHub's OpenAPI
description), through a pull request's whole life, with and without faults."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.bot_world import BOT, INVALID, NEW_PATH, REPO, VALID, World
from tests.conftest import ROOT

pytestmark = pytest.mark.simulator


@pytest.fixture
def world(sim, tmp_path):
    return World(sim, tmp_path / "checkout")


def test_valid_new_entry_then_approvals_then_merge(world):
    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    first = world.review(number)
    assert first["state_label"] == "awaiting-review"
    assert set(sim.labels(REPO, number)) == {"awaiting-review", "new-entry", "scope:regional", "cluster:security"}
    (comment,) = world.bot_comments(number)
    assert "Waiting for the chair and co-chair to approve this commit." in comment.body
    assert sorted(sim.pull(REPO, number).requested_reviewers) == ["alice", "bob"]
    head = world.head(number)
    assert sim.statuses(REPO, head)[-1].state == "pending"
    # Labels the repository lacked were created with a colour and description.
    labels = {label.name: label for label in sim.repo(REPO).labels.values()}
    assert labels["awaiting-review"].color == "fbca04" and labels["awaiting-review"].description

    # Re-run on the unchanged state: no writes, at most 5 + k requests.
    sim.reset_log()
    again = world.review(number)
    assert again["actions"] == []
    assert sim.writes() == []
    assert len(sim.requests()) <= 5 + 1
    assert again["requests"] == len(sim.requests())

    sim.review(REPO, number, "alice", "APPROVED", commit_id=head)
    world.review(number)
    assert not sim.pull(REPO, number).merged
    sim.review(REPO, number, "bob", "APPROVED", commit_id=head)
    done = world.review(number)
    pull = sim.pull(REPO, number)
    assert done["merged"] and pull.merged
    merge_commit = sim.repo(REPO).commits[pull.merge_commit_sha]
    assert sim.file(REPO, "main", NEW_PATH) == VALID.encode()
    assert "Approved-by: alice (chair role)" in merge_commit.message
    assert done.get("publish_error") is None, done.get("publish_error")
    assert [(d.workflow_id, d.ref) for d in sim.dispatches(REPO)] == [(".github/workflows/publish.yml", "main")]
    # After the merge, a re-run does nothing.
    sim.reset_log()
    assert world.review(number)["actions"] == [] and sim.writes() == []


def test_fix_pushed_to_invalid_entry_updates_the_same_comment(world):
    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: INVALID})
    first = world.review(number)
    assert first["state_label"] == "awaiting-changes"
    (comment,) = world.bot_comments(number)
    first_body = comment.body
    head = world.head(number)
    assert f"blob/{head}/{NEW_PATH}#L7" in comment.body
    assert sim.pull(REPO, number).requested_reviewers == []
    assert "invalid" in sim.labels(REPO, number)

    sim.push(REPO, "add-asean", {NEW_PATH: VALID}, author="stakeholder")
    world.review(number)
    (after,) = world.bot_comments(number)
    assert after.id == comment.id and after.body != first_body
    assert "invalid" not in sim.labels(REPO, number)
    assert sorted(sim.pull(REPO, number).requested_reviewers) == ["alice", "bob"]


def test_push_after_approval_blocks_the_merge_until_reapproved(world):
    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    world.review(number)
    world.approve(number)
    # The push lands after the approvals, before the bot runs.
    sim.push(REPO, "add-asean", {NEW_PATH: VALID.replace("since 2006", "since 2007")}, author="stakeholder")
    result = world.review(number)
    assert not sim.pull(REPO, number).merged and not result["merged"]
    assert sorted(sim.pull(REPO, number).requested_reviewers) == ["alice", "bob"]
    world.approve(number)
    assert world.review(number)["merged"]
    assert sim.pull(REPO, number).merge_commit_sha


def test_push_between_decision_and_merge_is_refused_by_the_pinned_sha(world):
    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    world.review(number)
    world.approve(number)
    sim.inject("PUT", r"/pulls/\d+/merge$", kind="hook", hook=lambda s: s.push(REPO, "add-asean", {NEW_PATH: VALID + "\n"}, author="mallory"))
    result = world.review(number)
    assert "head of the pull request changed" in result["stopped"]
    assert not sim.pull(REPO, number).merged
    # The next run sees the new head: approvals are stale, nothing merges.
    again = world.review(number)
    assert not again["merged"] and again["state_label"] == "awaiting-review"


def test_pull_request_touching_a_workflow_is_never_merged(world):
    sim = world.sim
    number = world.propose("sneaky", {NEW_PATH: VALID, ".github/workflows/bot.yml": "on: push\njobs: {}\n"})
    world.review(number)
    head = world.head(number)
    for user in ("alice", "bob", "carol"):
        sim.review(REPO, number, user, "APPROVED", commit_id=head)
    result = world.review(number)
    assert result["state_label"] == "needs-maintainer" and not result["merged"]
    assert not sim.pull(REPO, number).merged
    assert sim.statuses(REPO, head)[-1].state != "success"
    assert sim.requests("PUT", r"/merge$") == []


def test_attack_modified_bot_schema_validator_and_workflow_with_a_forged_verdict(world):
    """A hostile pull request changes the bot, the schema, the validator and
    a workflow, and claims in a comment (with the bot's marker) that it is
    valid: it ends needs-maintainer, not green, unmerged."""
    sim = world.sim
    evil_schema = '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}'
    number = world.propose(
        "attack",
        {
            NEW_PATH: "id: x\n",  # invalid under the real schema
            "schema/entry.schema.json": evil_schema,
            "bot/registry.py": "def check_paths(*a, **k):\n    return []\n",
            "bot/policy/decide.py": "MERGE = True\n",
            ".github/workflows/bot.yml": "on: pull_request_target\njobs: {}\n",
        },
        user="mallory",
    )
    sim.comment(REPO, number, "mallory", "<!-- registry-bot:review -->\n**Registry bot**: all checks passed ✅ ready-to-merge")
    head = world.approve(number)
    result = world.review(number)
    assert result["state_label"] == "needs-maintainer"
    assert not sim.pull(REPO, number).merged
    assert sim.statuses(REPO, head)[-1].state in ("failure", "pending")
    assert "needs-maintainer" in sim.labels(REPO, number)
    (mine,) = world.bot_comments(number)
    assert "registry/id-mismatch" not in mine.body  # it used the real schema, not the proposed one
    assert "is missing" in mine.body
    assert sim.requests("PUT", r"/merge$") == []


def test_symlinked_entry_is_refused(world):
    number = world.propose("link", {"entries/passwd.yaml": ("../.github/governance.yml", "120000")})
    result = world.review(number)
    assert result["state_label"] == "awaiting-changes"
    (comment,) = world.bot_comments(number)
    assert "symbolic link" in comment.body
    assert "chair:" not in comment.body  # the target's content was never read as an entry


def test_draft_gets_feedback_but_no_review_requests(world):
    sim = world.sim
    number = world.propose("draft", {NEW_PATH: VALID}, draft=True)
    world.review(number)
    assert sim.pull(REPO, number).requested_reviewers == []
    assert len(world.bot_comments(number)) == 1


def test_commands_through_comments(world):
    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    world.review(number)
    world.approve(number)
    stranger = sim.comment(REPO, number, "mallory", "/hold")
    hold = sim.comment(REPO, number, "bob", "/hold  until the secretariat confirms")
    result = world.review(number)
    assert result["state_label"] == "on-hold" and not result["merged"]
    reactions = {c.id: [r.content for r in c.reactions] for c in sim.comments(REPO, number)}
    assert reactions[stranger] == ["confused"] and reactions[hold] == ["+1"]
    assert len(world.bot_comments(number)) == 1  # a refusal is a reaction, not a new comment
    sim.comment(REPO, number, "dave", "/unhold")
    assert world.review(number)["merged"]


# ---------------------------------------------------------------------------
# Faults: every scenario ends in the same state, with exactly one comment.

FAULTS = [
    ("GET", r"/pulls/\d+$", {"status": 502}),
    ("GET", r"/pulls/\d+/files", {"kind": "secondary_rate_limit", "retry_after": 3}),
    ("POST", r"/issues/\d+/comments$", {"status": 500}),
    ("POST", r"/issues/\d+/comments$", {"kind": "timeout"}),
    ("POST", r"/issues/\d+/labels$", {"kind": "secondary_rate_limit_429", "retry_after": 2}),
    ("POST", r"/statuses/", {"kind": "primary_rate_limit", "reset_in": 5}),
    ("POST", r"/requested_reviewers$", {"status": 503}),
    ("PUT", r"/merge$", {"status": 502}),
    ("PUT", r"/merge$", {"kind": "timeout"}),
]


@pytest.mark.parametrize("method,path,fault", FAULTS, ids=[f"{m} {p} {list(f.values())[0]}" for m, p, f in FAULTS])
def test_lifecycle_with_faults_converges(world, method, path, fault):
    from bot.github_adapter import AdapterError

    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    head = world.head(number)
    if "merge" in path:
        world.review(number)
        sim.review(REPO, number, "alice", "APPROVED", commit_id=head)
        sim.review(REPO, number, "bob", "APPROVED", commit_id=head)
    sim.inject(method, path, times=1, **fault)
    for _ in range(3):  # a failed run is followed by the next event or the sweep
        try:
            world.review(number)
        except AdapterError:
            continue
    final = world.review(number)
    assert len(world.bot_comments(number)) == 1
    if "merge" in path:
        assert sim.pull(REPO, number).merged
        assert len([c for c in sim.repo(REPO).commits.values() if NEW_PATH in (c.message or "") or False]) <= 1
    else:
        assert set(sim.labels(REPO, number)) == {"awaiting-review", "new-entry", "scope:regional", "cluster:security"}
        assert sorted(sim.pull(REPO, number).requested_reviewers) == ["alice", "bob"]
        sim.reset_log()
        assert world.review(number)["actions"] == [] and sim.writes() == []
    assert all(delay <= 900 for delay in world.sleeps)
    assert final is not None


def test_retry_honours_retry_after(world):
    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    sim.inject("GET", r"/pulls/\d+/reviews", kind="secondary_rate_limit", retry_after=7, times=1)
    world.review(number)
    assert 7.0 in world.sleeps


def test_merge_is_never_retried_blindly(world):
    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    world.review(number)
    world.approve(number)
    sim.inject("PUT", r"/merge$", status=502, times=1)
    from bot.github_adapter import AdapterError

    with pytest.raises(AdapterError, match="did not happen"):
        world.review(number)
    assert len(sim.requests("PUT", r"/merge$")) == 1  # one attempt, then it looked
    assert world.review(number)["merged"]


def test_dry_run_prints_actions_and_request_count_and_writes_nothing(world, tmp_path):
    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    env = {**os.environ, "GITHUB_TOKEN": "t", "PYTHONPATH": str(ROOT), "GITHUB_SHA": world.checkout_sha}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "review", "--repo", REPO, "--pr", str(number), "--dry-run", "--api-url", sim.base_url, "--root", str(world.root), "--no-throttle"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "would do: AddLabels" in proc.stdout and "requests to GitHub" in proc.stdout
    assert sim.writes() == []


def test_event_payloads_from_githubs_examples(world, tmp_path):
    from tests.ghsim import adapt_payload, load_webhook_example

    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    head = world.head(number)
    env = {**os.environ, "GITHUB_TOKEN": "t", "PYTHONPATH": str(ROOT), "GITHUB_SHA": world.checkout_sha}
    for event, action in (("pull_request", "opened"), ("pull_request_review", "submitted"), ("issue_comment", "created"), ("workflow_run", "completed")):
        payload = adapt_payload(load_webhook_example(event, action), sim, REPO, number=number, sha=head)
        if event == "workflow_run":
            payload["workflow_run"]["pull_requests"] = []  # as for a fork
            payload["workflow_run"]["head_sha"] = head
        path = tmp_path / f"{event}.json"
        path.write_text(json.dumps(payload))
        proc = subprocess.run(
            [sys.executable, "-m", "bot", "review", "--repo", REPO, "--event", str(path), "--event-name", event, "--dry-run", "--api-url", sim.base_url, "--root", str(world.root), "--no-throttle"],
            capture_output=True, text=True, env=env, timeout=120,
        )
        assert proc.returncode == 0, (event, proc.stderr)
        assert f"pull request #{number} at {head[:7]}" in proc.stdout, (event, proc.stdout)


def test_sweep_reconciles_every_open_pull_request(world, tmp_path):
    sim = world.sim
    first = world.propose("one", {NEW_PATH: VALID})
    second = world.propose("two", {"entries/other.yaml": INVALID.replace("asean-cert-incident-drill", "other")})
    env = {**os.environ, "GITHUB_TOKEN": "t", "PYTHONPATH": str(ROOT), "GITHUB_SHA": world.checkout_sha}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "sweep", "--repo", REPO, "--api-url", sim.base_url, "--root", str(world.root), "--no-throttle"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(world.bot_comments(first)) == 1 and len(world.bot_comments(second)) == 1
    assert "awaiting-changes" in sim.labels(REPO, second)


def test_get_user_is_refused_and_the_bot_does_not_need_it(world):
    sim = world.sim
    number = world.propose("add-asean", {NEW_PATH: VALID})
    world.review(number)
    assert sim.requests("GET", r"^/user$") == []
    assert world.bot_comments(number)[0].user.login == BOT
