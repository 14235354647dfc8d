"""Issue forms end to end: the real PyGithub adapter against the GitHub API
simulator (requests and responses checked against GitHub's OpenAPI
description), from a form issue to a reviewed pull request."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.intake.command import run_intake
from bot.registry import Context
from tests.bot_world import BOT, REPO, World
from tests.conftest import ROOT
from tests.intake_forms import VALID_NEW, body, forms

pytestmark = pytest.mark.simulator

NEW_FORM, CORRECTION_FORM = forms()
NEW_PATH = "entries/pacific-islands-regional-cyber-drill.yaml"
BRANCH = "registry-bot/intake-{}"


@pytest.fixture
def world(sim, tmp_path):
    return World(sim, tmp_path / "checkout")


def intake(world, number):
    import bot.app

    adapter = world.adapter()
    ctx = Context.load(world.project)
    original = bot.app.checkout_sha
    bot.app.checkout_sha = lambda root: world.checkout_sha
    try:
        return run_intake(adapter, world.project, ctx, adapter.governance, number, now=world.now)
    finally:
        bot.app.checkout_sha = original


def open_form(world, answers, form=NEW_FORM, user="stakeholder", newline="\n"):
    label = form.label
    return world.sim.open_issue(REPO, user, form.title + "x", body(form, answers, newline=newline), labels=[label])


def replies(world, number):
    return [c for c in world.sim.comments(REPO, number) if c.user.login == BOT and "registry-bot:intake-reply" in c.body]


def pulls(world):
    return [i for i in world.sim.repo(REPO).issues.values() if i.pull is not None]


def test_a_form_issue_becomes_a_reviewed_pull_request(world):
    sim = world.sim
    number = open_form(world, VALID_NEW, newline="\r\n")
    result = intake(world, number)
    (pr,) = pulls(world)
    pull = pr.pull
    assert result["pull_request"] == pr.number and pr.user.login == BOT
    assert pull.head_ref == BRANCH.format(number) and pull.base_ref == "main"
    assert f"Closes #{number}" in pr.body
    content = sim.file(REPO, pull.head_sha, NEW_PATH)
    from bot.loading import load_text

    doc = load_text(NEW_PATH, content)
    assert doc.ok and doc.data["name"] == VALID_NEW["name"]
    head = sim.repo(REPO).commits[pull.head_sha]
    stakeholder = sim.users["stakeholder"]
    assert f"Co-authored-by: stakeholder <{stakeholder.id}+stakeholder@users.noreply.github.com>" in head.message
    (reply,) = replies(world, number)
    assert f"pull request #{pr.number}" in reply.body and "passes the checks" in reply.body
    # Reviewed in the same run: labels, the review comment, reviewers.
    assert result["review"]["state_label"] == "awaiting-review"
    assert "new-entry" in sim.labels(REPO, pr.number)
    assert sorted(pull.requested_reviewers) == ["alice", "bob"]
    # A re-run on the same state writes nothing.
    sim.reset_log()
    again = intake(world, number)
    assert again["actions"] == [] and sim.writes() == [], [str(e) for e in sim.writes()]


def test_an_invalid_form_gets_a_reply_and_no_pull_request(world):
    sim = world.sim
    number = open_form(world, {**VALID_NEW, "scope": "internationl", "urls": "www.pita.org.fj"})
    result = intake(world, number)
    assert result["plan"] == "reply" and result["pull_request"] is None
    assert pulls(world) == [] and BRANCH.format(number) not in sim.repo(REPO).branches
    (reply,) = replies(world, number)
    assert "**Scope**" in reply.body and "Did you mean “International”?" in reply.body
    assert "**Web addresses** (item 1)" in reply.body
    # Fixing the form: the same reply is edited, and the pull request opens.
    sim.edit_issue(REPO, number, body=body(NEW_FORM, VALID_NEW))
    intake(world, number)
    (after,) = replies(world, number)
    assert after.id == reply.id and "passes the checks" in after.body
    assert len(pulls(world)) == 1


def test_an_edit_updates_the_same_branch_and_pull_request(world):
    sim = world.sim
    number = open_form(world, VALID_NEW)
    intake(world, number)
    (pr,) = pulls(world)
    first_head = pr.pull.head_sha
    description = VALID_NEW["description"].replace("since 2018", "since 2019")
    sim.edit_issue(REPO, number, body=body(NEW_FORM, {**VALID_NEW, "description": description}))
    intake(world, number)
    assert len(pulls(world)) == 1
    assert pr.pull.head_sha != first_head and first_head in sim.repo(REPO).ancestors(pr.pull.head_sha)
    assert b"since 2019" in sim.file(REPO, BRANCH.format(number), NEW_PATH)
    # A new identifier: the file moves, the old one leaves the branch.
    sim.edit_issue(REPO, number, body=body(NEW_FORM, {**VALID_NEW, "id": "pacific-cyber-drill", "description": description}))
    intake(world, number)
    assert sim.file(REPO, BRANCH.format(number), NEW_PATH) is None
    assert sim.file(REPO, BRANCH.format(number), "entries/pacific-cyber-drill.yaml") is not None
    assert "pacific-cyber-drill" in pr.title and len(replies(world, number)) == 1


def test_closing_the_issue_closes_the_pull_request(world):
    sim = world.sim
    number = open_form(world, VALID_NEW)
    intake(world, number)
    (pr,) = pulls(world)
    sim.edit_issue(REPO, number, state="closed")
    intake(world, number)
    assert pr.state == "closed" and not pr.pull.merged
    assert "closed pull request" in replies(world, number)[0].body
    sim.edit_issue(REPO, number, state="open")
    intake(world, number)
    assert pr.state == "open" and len(pulls(world)) == 1


def test_a_correction_changes_only_the_fields_given(world):
    sim = world.sim
    path = "entries/internet-governance-forum.yaml"
    original = sim.file(REPO, "main", path).decode()
    number = open_form(world, {"entry": "internet-governance-forum", "acronym": "UN IGF", "reason": "See the IGF site."}, CORRECTION_FORM)
    result = intake(world, number)
    (pr,) = pulls(world)
    changed = sim.file(REPO, pr.pull.head_sha, path).decode()
    assert changed == original.replace("acronym: IGF", "acronym: UN IGF")
    assert "Correct internet-governance-forum" in pr.title
    assert result["review"]["state_label"] in ("awaiting-review", "awaiting-changes")
    assert "entry-update" in sim.labels(REPO, pr.number)


HOSTILE = [
    {**VALID_NEW, "id": "../../.github/workflows/bot"},
    {**VALID_NEW, "id": "x/../../governance", "name": "!!python/object/apply:os.system ['id']\n---\nid: evil"},
    {**VALID_NEW, "description": "A" * 100_000},
    {**VALID_NEW, "name": "Drill\u202e evil", "organizations": "&a [*a, *a]\n{{ github.token }}\x00"},
]


@pytest.mark.parametrize("answers", HOSTILE, ids=["dotdot-id", "injection", "100kb", "bidi-nul"])
def test_a_hostile_body_produces_findings_and_nothing_else(world, answers):
    sim = world.sim
    number = open_form(world, answers)
    branches = dict(sim.repo(REPO).branches)
    sim.reset_log()
    result = intake(world, number)
    assert result["errors"] >= 1 and result["pull_request"] is None
    assert sim.repo(REPO).branches == branches and pulls(world) == []
    writes = [(e.method, e.template) for e in sim.writes()]
    assert writes == [("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")], writes
    (reply,) = replies(world, number)
    assert "Please change" in reply.body and len(reply.body) < 10_000
    assert "Traceback" not in reply.body


def test_the_issue_author_cannot_approve_their_own_proposal(world):
    sim = world.sim
    number = open_form(world, VALID_NEW, user="alice")  # the chair proposes
    intake(world, number)
    (pr,) = pulls(world)
    head = pr.pull.head_sha
    # Not asked to review their own proposal; the alternate stands in.
    assert "alice" not in pr.pull.requested_reviewers and "carol" in pr.pull.requested_reviewers
    sim.review(REPO, pr.number, "alice", "APPROVED", commit_id=head)
    sim.review(REPO, pr.number, "bob", "APPROVED", commit_id=head)
    result = world.review(pr.number)  # a later event: the proposer comes from the marker
    assert not result["merged"] and not pr.pull.merged
    sim.review(REPO, pr.number, "carol", "APPROVED", commit_id=head)
    done = world.review(pr.number)
    assert done["merged"]
    merge = sim.repo(REPO).commits[pr.pull.merge_commit_sha]
    assert f"Co-authored-by: alice <{sim.users['alice'].id}+alice@users.noreply.github.com>" in merge.message


def test_a_forged_marker_on_a_human_pull_request_is_not_trusted(world):
    sim = world.sim
    from tests.bot_world import VALID
    from tests.bot_world import NEW_PATH as OTHER

    # Mallory opens a PR from a branch named like the bot's, with the marker
    # naming alice (a chair) as the proposer, hoping to shift the rules.
    marker = f"<!-- registry-bot:intake issue=1 author=alice id={sim.user('alice').id} -->"
    sim.push(REPO, "registry-bot/intake-1", {OTHER: VALID}, author="mallory", from_branch="main")
    number = sim.open_pull(REPO, "registry-bot/intake-1", "main", user="mallory", title="x", body=marker)
    state, _ = world.adapter().fetch_state(number, {}, world.checkout_sha)
    assert state.proposer is None and state.who_proposed.login == "mallory"
    world.review(number)
    assert sorted(sim.pull(REPO, number).requested_reviewers) == ["alice", "bob"]


def test_issues_not_made_from_a_form_are_ignored(world):
    sim = world.sim
    number = sim.open_issue(REPO, "someone", "A bug", "### Steps\n\nclick")
    sim.reset_log()
    result = intake(world, number)
    assert result["form"] is None and sim.writes() == []


def test_the_intake_command_reads_githubs_event_payload(world, tmp_path):
    from tests.ghsim import adapt_payload, load_webhook_example

    sim = world.sim
    number = open_form(world, VALID_NEW)
    env = {**os.environ, "GITHUB_TOKEN": "t", "PYTHONPATH": str(ROOT), "GITHUB_SHA": world.checkout_sha}
    payload = adapt_payload(load_webhook_example("issues", "opened"), sim, REPO, number=number, sender="stakeholder")
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    cmd = [sys.executable, "-m", "bot", "intake", "--repo", REPO, "--event", str(path), "--api-url", sim.base_url, "--root", str(world.root), "--no-throttle"]
    dry = subprocess.run([*cmd, "--dry-run"], capture_output=True, text=True, env=env, timeout=120)
    assert dry.returncode == 0, dry.stderr
    assert "would do: open a pull request" in dry.stdout and sim.writes() == []
    real = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert real.returncode == 0, real.stderr
    assert len(pulls(world)) == 1 and "awaiting-review" in real.stdout
    payload["action"] = "labeled"
    path.write_text(json.dumps(payload))
    other = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert other.returncode == 0 and "nothing to do" in other.stdout
