"""Scenario harness for the review policy.

A scenario folder ``tests/cases/<name>/`` holds ``case.yaml`` (the pull
request's state in a terse form, and optionally ``then:`` events that happen
after the bot's first run) and ``expected.yaml`` (the plan and actions of the
last run). ``REGEN_GOLDEN=1 pytest tests/test_policy_cases.py`` rewrites the
expected files; review the diff before committing.
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

from ruamel.yaml import YAML

from bot.governance import parse_governance
from bot.policy import DataChangeReport, decide, plan_actions
from bot.policy import actions as A
from bot.policy.state import ChangedFile, Comment, PullRequestState, Review, Status, User

CASES = Path(__file__).resolve().parent / "cases"
GOVERNANCE = parse_governance((CASES / "governance.yml").read_bytes())
USERS = {"alice": 101, "bob": 102, "carol": 103, "dave": 104, "registry-bot[bot]": 41898282}
REPO = "igov/registry"


def user(value) -> User:
    if isinstance(value, dict):
        return User(value["login"], value.get("id"))
    return User(value, USERS.get(value, 900 + sum(map(ord, value)) % 97))


def sha(name: str) -> str:
    """Readable fake SHAs: 'h1' -> 'h1' padded to 40 hex-like characters."""
    return (name + "0" * 40)[:40]


def default_registry() -> dict[str, bytes]:
    return {f"entries/{p.name}": p.read_bytes() for p in sorted((CASES / "_registry").glob("*.yaml"))}


def build_state(case: dict, case_dir: Path) -> PullRequestState:
    registry = default_registry()
    files = []
    for item in case.get("files", ()):
        path = item["path"]
        content = item.get("content")
        if "content_file" in item:
            content = (case_dir / item["content_file"]).read_text()
        status = item.get("status", "modified" if path in registry else "added")
        base = registry.get(item.get("previous_path") or path)
        files.append(
            ChangedFile(
                path=path,
                status=status,
                content=None if content is None else content.encode(),
                base_content=base,
                previous_path=item.get("previous_path"),
                mode=str(item.get("mode", "100644")),
            )
        )
    head = sha(case.get("head", "h1"))
    reviews = tuple(
        Review(i + 1, user(r["user"]), r["state"], sha(r.get("commit", case.get("head", "h1"))), r.get("at", ""))
        for i, r in enumerate(case.get("reviews", ()))
    )
    comments = tuple(
        Comment(c.get("id", 500 + i), user(c["user"]), c["body"], c.get("at", "2026-11-29T13:00:00Z"))
        for i, c in enumerate(case.get("comments", ()))
    )
    registry_sha = sha("base1")
    return PullRequestState(
        repo=REPO,
        number=case.get("number", 7),
        title=case.get("title", "Proposal"),
        author=user(case.get("author", "stakeholder")),
        head_sha=head,
        head_committed_at=case.get("head_time", "2026-11-29T12:00:00Z"),
        base_ref=case.get("base_ref", "main"),
        files=tuple(files),
        registry_sha=registry_sha,
        base_branch_sha=sha("base2") if case.get("default_branch_moved") else registry_sha,
        registry=registry,
        labels=tuple(case.get("labels", ())),
        requested_reviewers=tuple(user(u) for u in case.get("requested", ())),
        reviews=reviews,
        comments=comments,
        draft=case.get("draft", False),
        mergeable=case.get("mergeable", True),
        status=Status(**case["status"]) if case.get("status") else None,
        proposer=user(case["proposer"]) if case.get("proposer") else None,
    )


def now_of(case: dict) -> datetime.datetime:
    return datetime.datetime.fromisoformat(case.get("now", "2026-11-29T15:00:00+00:00"))


def data_change_of(case: dict):
    data = case.get("data_change")
    if data is None:
        return None
    return DataChangeReport(data["ok"], data.get("problem"), tuple(tuple(b) for b in data.get("broken", ())))


# ---------------------------------------------------------------------------
# Applying actions to a state, as GitHub would


def apply(state: PullRequestState, actions, governance=GOVERNANCE) -> PullRequestState:
    labels = list(state.labels)
    comments = list(state.comments)
    requested = list(state.requested_reviewers)
    status = state.status
    merged = state.merged
    next_id = max([c.id for c in comments] + [900]) + 1
    bot = User(governance.bot_login, USERS.get(governance.bot_login))
    for action in actions:
        if isinstance(action, A.AddLabels):
            labels += [n for n in action.names if n not in labels]
        elif isinstance(action, A.RemoveLabel):
            labels = [n for n in labels if n != action.name]
        elif isinstance(action, A.CreateComment):
            comments.append(Comment(next_id, bot, action.body, "2026-11-29T15:00:00Z"))
            next_id += 1
        elif isinstance(action, A.EditComment):
            comments = [dataclasses.replace(c, body=action.body) if c.id == action.comment_id else c for c in comments]
        elif isinstance(action, A.DeleteComment):
            comments = [c for c in comments if c.id != action.comment_id]
        elif isinstance(action, A.RequestReviews):
            requested += [user(login) for login in action.logins]
        elif isinstance(action, A.SetStatus):
            status = Status(action.state, action.description, action.context)
        elif isinstance(action, A.Merge):
            assert action.expected_sha == state.head_sha
            merged = True
    return dataclasses.replace(
        state,
        labels=tuple(labels),
        comments=tuple(comments),
        requested_reviewers=tuple(requested),
        status=status,
        merged=merged,
        open=not merged,
    )


def governance_of(case: dict):
    return dataclasses.replace(GOVERNANCE, **case.get("governance", {}))


def run_once(state, case, ctx):
    governance = governance_of(case)
    plan = decide(state, ctx, governance, now_of(case), data_change_of(case))
    actions = plan_actions(plan, state, governance)
    return plan, actions


def apply_event(state: PullRequestState, event: dict, case_dir: Path) -> PullRequestState:
    """`then:` events: a review, a comment, a push, a dismissal."""
    kind = event["event"]
    if kind == "review":
        review = Review(
            len(state.reviews) + 1,
            user(event["user"]),
            event["state"],
            sha(event.get("commit", "")) if event.get("commit") else state.head_sha,
            event.get("at", ""),
        )
        # GitHub removes a pending request once that person submits a review.
        requested = tuple(u for u in state.requested_reviewers if u.login != review.user.login)
        return dataclasses.replace(state, reviews=state.reviews + (review,), requested_reviewers=requested)
    if kind == "dismiss":
        reviews = tuple(
            dataclasses.replace(r, state="DISMISSED") if r.user.login == event["user"] else r for r in state.reviews
        )
        return dataclasses.replace(state, reviews=reviews)
    if kind == "comment":
        comment = Comment(event.get("id", 600 + len(state.comments)), user(event["user"]), event["body"], event.get("at", "2026-11-29T14:00:00Z"))
        return dataclasses.replace(state, comments=state.comments + (comment,))
    if kind == "push":
        files = []
        for item in event["files"]:
            old = next((f for f in state.files if f.path == item["path"]), None)
            files.append(
                ChangedFile(
                    path=item["path"],
                    status=item.get("status", old.status if old else "added"),
                    content=item["content"].encode(),
                    base_content=old.base_content if old else None,
                )
            )
        kept = tuple(f for f in state.files if f.path not in {x.path for x in files})
        return dataclasses.replace(
            state,
            files=kept + tuple(files),
            head_sha=sha(event["head"]),
            head_committed_at=event.get("at", state.head_committed_at),
            status=None,  # a status belongs to a commit
        )
    if kind == "default_branch_moved":
        return dataclasses.replace(state, base_branch_sha=sha("base2"))
    if kind == "default_branch_refreshed":
        return dataclasses.replace(state, registry_sha=state.base_branch_sha)
    if kind == "set":
        return dataclasses.replace(state, **event["fields"])
    raise ValueError(f"unknown event {kind}")


def describe_action(action) -> str:
    if isinstance(action, A.AddLabels):
        return "add labels: " + ", ".join(action.names)
    if isinstance(action, A.RemoveLabel):
        return f"remove label: {action.name}"
    if isinstance(action, A.CreateComment):
        return "create comment"
    if isinstance(action, A.EditComment):
        return f"edit comment {action.comment_id}"
    if isinstance(action, A.DeleteComment):
        return f"delete comment {action.comment_id}"
    if isinstance(action, A.RequestReviews):
        return "request reviews: " + ", ".join(action.logins)
    if isinstance(action, A.SetStatus):
        return f"status {action.state}: {action.description}"
    if isinstance(action, A.React):
        return f"react {action.content} on comment {action.comment_id}"
    if isinstance(action, A.Merge):
        return f"merge {action.method} at {action.expected_sha[:8]}"
    return repr(action)


def summarize(plan, actions) -> dict:
    return {
        "state_label": plan.state_label,
        "labels": sorted(plan.labels),
        "reviewers": list(plan.reviewers),
        "status": f"{plan.status.state}: {plan.status.description}" if plan.status else None,
        "merge": plan.merge.expected_sha[:8] if plan.merge else None,
        "blockers": list(plan.blockers),
        "next_step": plan.next_step,
        "actions": [describe_action(a) for a in actions],
    }


def load_yaml(path: Path):
    return YAML(typ="safe").load(path.read_text())


def dump_yaml(data, path: Path) -> None:
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 200
    with open(path, "w") as handle:
        yaml.dump(data, handle)
