"""The GitHub simulator driven by the real PyGithub over real HTTP on 127.0.0.1."""

from __future__ import annotations

import time

import github
import pytest
import requests

from tests.ghsim import adapt_payload, github_client, load_webhook_example
from tests.ghsim.fixtures import check_violations

pytestmark = pytest.mark.simulator

REPO = "org/registry"
FILES = {
    "README.md": "# Registry\n",
    "entries/icann.yaml": "id: icann\nname: ICANN\n",
    "schema/entry.json": "{}\n",
}


@pytest.fixture
def gh(sim):
    sim.create_repo(REPO, files=FILES, labels=[{"name": "needs-review", "color": "fbca04"}],
                    collaborators=["maintainer"])
    return github_client(sim)


def open_contribution(sim, branch="add-ietf", user="alice", **files):
    changed = files or {"entries/ietf.yaml": "id: ietf\nname: IETF\n"}
    sim.push(REPO, branch, changed, author=user, message="Add IETF")
    return sim.open_pull(REPO, branch, "main", user=user, title="Add IETF", body="New entry")


def raw(sim, method, path, **kw):
    kw.setdefault("timeout", 5)
    return requests.request(method, sim.base_url + path, headers={"Authorization": "token t"}, **kw)


# --- a pull request's whole life ----------------------------------------------------------
def test_pull_request_lifecycle(sim, gh):
    number = open_contribution(sim)
    repo = gh.get_repo(REPO)
    pr = repo.get_pull(number)
    assert (pr.state, pr.draft, pr.user.login, pr.base.ref) == ("open", False, "alice", "main")
    head = pr.head.sha
    assert head == sim.branch_sha(REPO, "add-ietf")

    files = list(pr.get_files())
    assert [(f.filename, f.status, f.additions) for f in files] == [("entries/ietf.yaml", "added", 2)]
    content = repo.get_contents("entries/ietf.yaml", ref=head)
    assert content.decoded_content == b"id: ietf\nname: IETF\n"
    assert content.sha == sim.repo(REPO).commits[head].tree["entries/ietf.yaml"].sha

    pr.add_to_labels("needs-review", "new-entry")
    pr.remove_from_labels("needs-review")
    assert sim.labels(REPO, number) == ["new-entry"]
    assert [lab.name for lab in repo.get_issue(number).get_labels()] == ["new-entry"]

    comment = pr.create_issue_comment("<!-- bot -->\nchecking")
    comment.edit("<!-- bot -->\nall good")
    assert [c.body for c in sim.comments(REPO, number)] == ["<!-- bot -->\nall good"]
    assert sim.comments(REPO, number)[0].user.login == "github-actions[bot]"

    with pytest.raises(github.GithubException) as exc:
        pr.create_review_request(reviewers=["stranger"])
    assert exc.value.status == 422 and "collaborators" in exc.value.data["message"]
    pr.create_review_request(reviewers=["maintainer"])
    users, _teams = pr.get_review_requests()
    assert [u.login for u in users] == ["maintainer"]
    sim.review(REPO, number, "maintainer", "APPROVED")
    assert [(r.user.login, r.state, r.commit_id) for r in pr.get_reviews()] == [("maintainer", "APPROVED", head)]
    assert sim.pull(REPO, number).requested_reviewers == []

    repo.get_commit(head).create_status("success", description="valid", context="registry/check")
    assert repo.get_commit(head).get_combined_status().state == "success"
    assert [s.state for s in sim.statuses(REPO, head)] == ["success"]

    base_before = sim.branch_sha(REPO, "main")
    with pytest.raises(github.GithubException) as exc:
        pr.merge(merge_method="squash", sha="0" * 40)
    assert exc.value.status == 409
    assert sim.branch_sha(REPO, "main") == base_before

    result = pr.merge(commit_title="Add IETF (#1)", commit_message="squashed", merge_method="squash", sha=head)
    assert result.merged
    main = sim.repo(REPO).commits[sim.branch_sha(REPO, "main")]
    assert main.sha == result.sha and main.parents == [base_before]
    assert main.message == "Add IETF (#1)\n\nsquashed"
    assert main.tree["entries/ietf.yaml"].content == b"id: ietf\nname: IETF\n"
    after = repo.get_pull(number)
    assert (after.merged, after.state, after.merge_commit_sha) == (True, "closed", result.sha)
    assert [p.number for p in repo.get_commit(result.sha).get_pulls()] == [number]
    with pytest.raises(github.GithubException) as exc:
        pr.merge(merge_method="squash", sha=head)
    assert exc.value.status == 405


def test_bot_opens_pull_request_from_issue_form(sim, gh):
    issue_no = sim.open_issue(REPO, "bob", "New entry: IETF", "### Name\n\nIETF")
    repo = gh.get_repo(REPO)
    base = repo.get_branch("main").commit.sha
    repo.create_git_ref("refs/heads/issue-1", base)
    repo.create_file("entries/ietf.yaml", "Add IETF from #1", "id: ietf\n", branch="issue-1")
    with pytest.raises(github.GithubException) as exc:  # sha required to update
        repo.create_file("entries/ietf.yaml", "again", "id: x\n", branch="issue-1")
    assert exc.value.status == 422
    pr = repo.create_pull(base="main", head="issue-1", title="Add IETF", body=f"Closes #{issue_no}")
    assert pr.number == 2 and pr.user.login == "github-actions[bot]"
    assert [p.number for p in repo.get_pulls(state="open", head="org:issue-1")] == [2]
    with pytest.raises(github.GithubException) as exc:
        repo.create_pull(base="main", head="issue-1", title="dup", body="")
    assert exc.value.status == 422
    assert [i.number for i in repo.get_issues(state="open")] == [2, 1]  # PRs are issues too
    repo.get_issue(issue_no).edit(state="closed")
    assert sim.issue(REPO, issue_no).state == "closed"
    assert repo.get_git_ref("heads/issue-1").object.sha == sim.branch_sha(REPO, "issue-1")
    assert {r.ref for r in repo.get_git_refs()} == {"refs/heads/main", "refs/heads/issue-1"}


def test_contents_tree_modes_and_git_refs(sim, gh):
    sim.push(REPO, "modes", {"entries/link.yaml": ("icann.yaml", "120000"),
                             "dangling": ("../outside", "120000"),
                             "vendor/sub": ("a" * 40, "160000"),
                             "tools/run.sh": ("#!/bin/sh\n", "100755")})
    repo = gh.get_repo(REPO)
    tree = repo.get_git_tree("modes", recursive=True)
    modes = {e.path: (e.mode, e.type) for e in tree.tree}
    assert modes["entries/link.yaml"] == ("120000", "blob")
    assert modes["vendor/sub"] == ("160000", "commit")
    assert modes["entries"] == ("040000", "tree")
    assert modes["tools/run.sh"] == ("100755", "blob")
    listing = repo.get_contents("entries", ref="modes")
    assert {c.name: c.type for c in listing} == {"icann.yaml": "file", "link.yaml": "symlink"}
    followed = repo.get_contents("entries/link.yaml", ref="modes")  # GitHub follows to a file
    assert (followed.type, followed.path) == ("file", "entries/icann.yaml")
    assert repo.get_contents("dangling", ref="modes").type == "symlink"
    assert repo.get_contents("vendor/sub", ref="modes").type == "submodule"
    assert {c.name: c.type for c in repo.get_contents("vendor", ref="modes")} == {"sub": "file"}
    with pytest.raises(github.UnknownObjectException):
        repo.get_contents("nope.yaml", ref="modes")
    root = {c.path: c.type for c in repo.get_contents("", ref="modes")}
    assert root["README.md"] == "file" and root["entries"] == "dir" and root["dangling"] == "symlink"
    ref = repo.get_git_ref("heads/modes")
    ref.edit(sim.branch_sha(REPO, "main"), force=True)
    assert sim.branch_sha(REPO, "modes") == sim.branch_sha(REPO, "main")
    assert repo.get_branch("modes").commit.sha == sim.branch_sha(REPO, "main")


def test_merge_refused_when_not_mergeable(sim, gh):
    number = open_contribution(sim, **{"README.md": "# Mine\n"})
    sim.push(REPO, "main", {"README.md": "# Theirs\n"})
    pr = gh.get_repo(REPO).get_pull(number)
    assert (pr.mergeable, pr.mergeable_state) == (False, "dirty")
    with pytest.raises(github.GithubException) as exc:
        pr.merge(merge_method="squash", sha=pr.head.sha)
    assert exc.value.status == 405
    sim.set_mergeable(REPO, number, None)
    assert gh.get_repo(REPO).get_pull(number).mergeable is None


def test_mergeable_is_null_while_github_computes(sim, gh):
    sim.mergeable_lag = 2
    number = open_contribution(sim)
    sim.push(REPO, "add-ietf", {"entries/ietf.yaml": "id: ietf\n"})
    repo = gh.get_repo(REPO)
    seen = [(p.mergeable, p.mergeable_state) for p in (repo.get_pull(number) for _ in range(3))]
    assert seen == [(None, "unknown"), (None, "unknown"), (True, "clean")]


def test_checks_dispatch_reactions_rate_limit(sim, gh):
    sim.push(REPO, "main", {".github/workflows/review.yml": "on: workflow_dispatch\n"})
    repo = gh.get_repo(REPO)
    sha = sim.branch_sha(REPO, "main")
    run = repo.create_check_run("registry", sha, status="completed", conclusion="success",
                                output={"title": "ok", "summary": "fine"})
    assert [c.conclusion for c in repo.get_commit(sha).get_check_runs()] == ["success"]
    assert run.output.title == "ok"
    assert repo.get_workflow("review.yml").create_dispatch("main", {"pr": "3"})
    assert [(d.workflow_id, d.ref, d.inputs) for d in sim.dispatches(REPO)] == [
        (".github/workflows/review.yml", "main", {"pr": "3"})]
    n = sim.open_issue(REPO, "bob", "Question")
    cid = sim.comment(REPO, n, "bob", "please add")
    repo.get_issue(n).get_comment(cid).create_reaction("eyes")
    assert [r.content for r in sim.comments(REPO, n)[0].reactions] == ["eyes"]
    assert gh.get_rate_limit().resources.core.limit == 5000


# --- pagination, log, authentication ----------------------------------------------------------
def test_pagination_over_100_items_with_link_headers(sim, gh):
    for i in range(149):
        sim.create_label(REPO, f"label-{i:03}")
    n = sim.open_issue(REPO, "bob", "Busy issue")
    for i in range(130):
        sim.comment(REPO, n, "bob", f"comment {i}")
    sim.reset_log()
    client = github_client(sim, per_page=100)
    repo = client.get_repo(REPO)
    names = [lab.name for lab in repo.get_labels()]
    assert len(names) == 150 and names[-1] == "label-148"
    bodies = [c.body for c in repo.get_issue(n).get_comments()]
    assert bodies == [f"comment {i}" for i in range(130)]
    gets = sim.requests("GET", r"/labels$")
    assert [e.query.get("page", ["1"])[0] for e in gets] == ["1", "2"]
    resp = raw(sim, "GET", f"/repos/{REPO}/labels", params={"per_page": 100})
    assert resp.links["next"]["url"].startswith(sim.base_url + f"/repos/{REPO}/labels?")
    assert "page=2" in resp.links["last"]["url"] and len(resp.json()) == 100
    last = raw(sim, "GET", f"/repos/{REPO}/labels", params={"per_page": 100, "page": 2})
    assert set(last.links) == {"prev", "first"} and len(last.json()) == 50
    assert sim.writes() == []


def test_rerun_on_unchanged_state_makes_zero_writes(sim, gh):
    number = open_contribution(sim)
    pr = gh.get_repo(REPO).get_pull(number)
    pr.add_to_labels("needs-review")
    pr.create_issue_comment("<!-- bot -->")
    assert len(sim.writes()) == 2
    sim.reset_log()
    assert sim.requests() == []
    again = gh.get_repo(REPO).get_pull(number)  # an idempotent re-run only reads
    assert [lab.name for lab in again.labels] == ["needs-review"]
    assert [c.body for c in again.get_issue_comments()] == ["<!-- bot -->"]
    assert sim.writes() == [] and len(sim.requests()) == 3
    assert {e.token for e in sim.requests()} == {"t"}


def test_tokens_act_as_their_users(sim, gh):
    sim.add_token("app-token", "registry-bot[bot]")
    n = sim.open_issue(REPO, "bob", "x")
    github_client(sim, token="app-token").get_repo(REPO).get_issue(n).create_comment("hi")
    gh.get_repo(REPO).get_issue(n).create_comment("hello")
    assert [(c.user.login, c.user.type) for c in sim.comments(REPO, n)] == [
        ("registry-bot[bot]", "Bot"), ("github-actions[bot]", "Bot")]


def test_get_user_is_forbidden_for_a_workflow_token(sim, gh):
    with pytest.raises(github.GithubException) as exc:
        _ = gh.get_user().login
    assert exc.value.status == 403
    assert exc.value.data["message"] == "Resource not accessible by integration"


def test_unknown_route_is_404_and_visible_in_the_log(sim, gh):
    resp = raw(sim, "GET", f"/repos/{REPO}/no-such-thing")
    assert resp.status_code == 404
    assert resp.json()["message"] == "Not Found" and "documentation_url" in resp.json()
    [entry] = sim.unrouted()
    assert (entry.method, entry.path, entry.status) == ("GET", f"/repos/{REPO}/no-such-thing", 404)
    assert any("no such operation" in v for v in sim.violations)
    assert any("not implemented by the simulator" in v for v in sim.violations)
    sim.violations.clear()  # seen and expected: don't fail this test at teardown


# --- faults ---------------------------------------------------------------------------------
def test_fault_server_error_then_recovery(sim, gh):
    fault = sim.inject("GET", rf"^/repos/{REPO}$", 502, times=2)
    assert [raw(sim, "GET", f"/repos/{REPO}").status_code for _ in range(3)] == [502, 502, 200]
    assert fault.hits == 2
    assert [e.fault for e in sim.requests("GET")] == ["status", "status", None]


def test_fault_secondary_rate_limits(sim, gh):
    sim.inject("POST", r"/comments$", kind="secondary_rate_limit", retry_after=7)
    sim.inject("POST", r"/comments$", kind="secondary_rate_limit_429", retry_after=3)
    n = sim.open_issue(REPO, "bob", "x")
    first = raw(sim, "POST", f"/repos/{REPO}/issues/{n}/comments", json={"body": "hi"})
    assert first.status_code == 403 and first.headers["Retry-After"] == "7"
    assert "secondary rate limit" in first.json()["message"]
    second = raw(sim, "POST", f"/repos/{REPO}/issues/{n}/comments", json={"body": "hi"})
    assert second.status_code == 429 and second.headers["Retry-After"] == "3"
    assert raw(sim, "POST", f"/repos/{REPO}/issues/{n}/comments", json={"body": "hi"}).status_code == 201
    assert len(sim.comments(REPO, n)) == 1
    assert sim.faults.total_hits == 2


def test_fault_primary_rate_limit(sim, gh):
    sim.inject("GET", r"/pulls", kind="primary_rate_limit", reset_in=120)
    resp = raw(sim, "GET", f"/repos/{REPO}/pulls")
    assert resp.status_code == 403
    assert resp.headers["x-ratelimit-remaining"] == "0"
    assert int(resp.headers["x-ratelimit-reset"]) >= int(time.time()) + 100
    with pytest.raises(github.RateLimitExceededException):
        sim.inject("GET", r"/pulls", kind="primary_rate_limit")
        list(gh.get_repo(REPO).get_pulls())


def test_fault_timeout_and_disconnect(sim, gh):
    n = sim.open_issue(REPO, "bob", "x")
    sim.inject("POST", r"/comments$", kind="timeout", delay=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        raw(sim, "POST", f"/repos/{REPO}/issues/{n}/comments", json={"body": "hi"}, timeout=0.3)
    deadline = time.time() + 5
    while not sim.comments(REPO, n) and time.time() < deadline:
        time.sleep(0.05)
    assert len(sim.comments(REPO, n)) == 1  # the write landed although the client timed out
    sim.inject("GET", r"/issues/\d+$", kind="disconnect")
    with pytest.raises(requests.exceptions.ConnectionError):
        raw(sim, "GET", f"/repos/{REPO}/issues/{n}")
    assert raw(sim, "GET", f"/repos/{REPO}/issues/{n}").status_code == 200
    assert [e.fault for e in sim.requests(path=r"/issues/")] == ["timeout", "disconnect", None]


def test_fault_merge_conflict_and_push_between_approval_and_merge(sim, gh):
    number = open_contribution(sim)
    approved = sim.branch_sha(REPO, "add-ietf")
    sim.review(REPO, number, "maintainer", "APPROVED")
    pr = gh.get_repo(REPO).get_pull(number)
    sim.inject("PUT", r"/merge$", kind="merge_conflict")
    with pytest.raises(github.GithubException) as exc:
        pr.merge(merge_method="squash", sha=approved)
    assert exc.value.status == 409
    late = sim.inject("PUT", r"/merge$", kind="hook", hook=lambda s: s.push(
        REPO, "add-ietf", {"entries/ietf.yaml": "id: ietf\nname: EVIL\n"}, author="mallory"))
    with pytest.raises(github.GithubException) as exc:
        pr.merge(merge_method="squash", sha=approved)
    assert exc.value.status == 409 and late.hits == 1
    assert sim.pull(REPO, number).head_sha != approved and not sim.pull(REPO, number).merged
    assert sim.file(REPO, "main", "entries/ietf.yaml") is None  # nothing unreviewed reached main


# --- faithfulness ---------------------------------------------------------------------------
def test_openapi_validation_catches_a_malformed_response(sim, gh, monkeypatch):
    good = sim.render.label
    monkeypatch.setattr(sim.render, "label", lambda repo, name: {
        k: v for k, v in good(repo, name).items() if k != "color"})
    assert raw(sim, "GET", f"/repos/{REPO}/labels/needs-review").status_code == 200
    assert sim.violations == [
        "GET /repos/{owner}/{repo}/labels/{name} -> 200: at <root>: 'color' is a required property"]
    with pytest.raises(pytest.fail.Exception, match="1 OpenAPI violation"):
        check_violations(sim)  # what the fixture runs at teardown
    sim.violations.clear()


def test_openapi_validation_catches_a_malformed_request(sim, gh):
    sha = sim.branch_sha(REPO, "main")
    resp = raw(sim, "POST", f"/repos/{REPO}/statuses/{sha}", json={"state": "great"})
    assert resp.status_code == 422
    resp = raw(sim, "GET", f"/repos/{REPO}/pulls", params={"bogus": "1"})
    assert resp.status_code == 200
    assert any("'great' is not one of" in v for v in sim.violations)
    assert any("query parameter 'bogus'" in v for v in sim.violations)
    sim.violations.clear()


def test_pygithub_label_array_is_an_allowed_deviation(sim, gh):
    gh.get_repo(REPO).get_issue(sim.open_issue(REPO, "bob", "x")).add_to_labels("a")
    assert sim.violations == []
    assert len(sim.allowed) == 1 and "bare array" in sim.allowed[0]


def test_webhook_example_adapted_to_the_simulator(sim, gh):
    number = open_contribution(sim)
    real = load_webhook_example("pull_request", "opened")
    payload = adapt_payload(real, sim, REPO, number=number, sender="alice")
    assert payload["action"] == "opened" and payload["number"] == number
    assert payload["repository"]["full_name"] == REPO
    assert payload["pull_request"]["head"]["sha"] == sim.branch_sha(REPO, "add-ietf")
    assert payload["pull_request"]["url"].startswith(sim.base_url)
    assert payload["sender"]["login"] == "alice"
    assert set(real) <= set(payload)  # the rest of the real payload is kept
    assert set(real["pull_request"]) <= set(payload["pull_request"])
    pr = gh.get_repo(payload["repository"]["full_name"]).get_pull(payload["number"])
    assert pr.head.sha == payload["pull_request"]["head"]["sha"]
    cid = sim.comment(REPO, number, "bob", "/approve")
    event = adapt_payload(load_webhook_example("issue_comment", "created"), sim, REPO,
                          number=number, comment_id=cid, sender="bob")
    assert event["comment"]["body"] == "/approve" and event["issue"]["number"] == number
    assert "pull_request" in event["issue"]  # a comment on a PR arrives as an issue comment


@pytest.mark.parametrize("event, action", [
    ("pull_request", "opened"), ("pull_request", "synchronize"), ("pull_request", "labeled"),
    ("pull_request", "closed"), ("pull_request_review", "submitted"), ("issue_comment", "created"),
    ("issues", "opened"), ("issues", "edited"), ("push", None)])
def test_adapted_webhooks_match_the_spec_webhook_schemas(sim, gh, event, action):
    number = open_contribution(sim)
    sha = sim.branch_sha(REPO, "add-ietf")
    review = sim.review(REPO, number, "maintainer", "APPROVED")
    comment = sim.comment(REPO, number, "bob", "hi")
    issue = sim.open_issue(REPO, "bob", "New entry", "### Name\n\nIETF")
    target = issue if event == "issues" else number
    payload = adapt_payload(load_webhook_example(event, action), sim, REPO, number=target, sha=sha,
                            sender="bob", comment_id=comment, review_id=review, ref="refs/heads/add-ietf")
    assert sim.validator.check_webhook(event, action, payload) == []
    assert payload["repository"]["url"] == f"{sim.base_url}/repos/{REPO}"


def test_outbound_network_is_blocked(sim):
    import socket
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)


def test_draft_dismissed_review_synchronize_and_close(sim, gh):
    number = open_contribution(sim)
    sim.set_draft(REPO, number, True)
    pr = gh.get_repo(REPO).get_pull(number)
    assert pr.draft and pr.mergeable_state == "draft"
    with pytest.raises(github.GithubException) as exc:
        pr.merge(merge_method="squash", sha=pr.head.sha)
    assert exc.value.status == 405
    review = sim.review(REPO, number, "maintainer", "APPROVED")
    sim.dismiss_review(REPO, number, review)
    new_head = sim.push(REPO, "add-ietf", {"entries/ietf.yaml": "id: ietf\nname: IETF!\n"}, author="alice")
    pr = gh.get_repo(REPO).get_pull(number)
    assert pr.head.sha == new_head and pr.commits == 2
    assert [(r.state, r.commit_id != new_head) for r in pr.get_reviews()] == [("DISMISSED", True)]
    assert [c.sha for c in pr.get_commits()][-1] == new_head
    sim.edit_issue(REPO, number, title="Add the IETF")
    pr.edit(state="closed")
    closed = gh.get_repo(REPO).get_pull(number)
    assert (closed.state, closed.merged, closed.title) == ("closed", False, "Add the IETF")
    assert [p.number for p in gh.get_repo(REPO).get_pulls(state="open")] == []
    assert [p.number for p in gh.get_repo(REPO).get_pulls(state="closed")] == [number]


def _urls(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "documentation_url":
                yield from _urls(value)
    elif isinstance(node, list):
        for value in node:
            yield from _urls(value)
    elif isinstance(node, str) and node.startswith(("http://", "https://")):
        yield node


def test_every_url_in_responses_is_on_the_simulator(sim, gh):
    number = open_contribution(sim)
    head = sim.branch_sha(REPO, "add-ietf")
    sim.review(REPO, number, "maintainer", "APPROVED")
    sim.comment(REPO, number, "bob", "hi")
    repo = gh.get_repo(REPO)
    repo.get_commit(head).create_status("pending", context="c")
    repo.create_check_run("registry", head)
    paths = [f"/repos/{REPO}", f"/repos/{REPO}/pulls", f"/repos/{REPO}/pulls/{number}",
             f"/repos/{REPO}/pulls/{number}/files", f"/repos/{REPO}/pulls/{number}/commits",
             f"/repos/{REPO}/pulls/{number}/reviews", f"/repos/{REPO}/issues/{number}/comments",
             f"/repos/{REPO}/issues/{number}", f"/repos/{REPO}/commits/{head}",
             f"/repos/{REPO}/commits/{head}/status", f"/repos/{REPO}/commits/{head}/check-runs",
             f"/repos/{REPO}/contents/entries?ref={head}", f"/repos/{REPO}/contents/README.md",
             f"/repos/{REPO}/git/trees/{head}?recursive=1", f"/repos/{REPO}/branches/main",
             f"/repos/{REPO}/git/ref/heads/main", f"/repos/{REPO}/labels"]
    for path in paths:
        resp = raw(sim, "GET", path)
        assert resp.status_code == 200, path
        strays = [u for u in _urls(resp.json()) if not u.startswith(sim.base_url + "/")]
        assert strays == [], path


def test_a_failing_fault_hook_fails_the_test(sim, gh):
    sim.inject("GET", r"^/repos/org/registry$", kind="hook", hook=lambda s: 1 / 0)
    assert raw(sim, "GET", f"/repos/{REPO}").status_code == 200
    assert any("ZeroDivisionError" in v for v in sim.violations)
    sim.violations.clear()
