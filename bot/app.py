"""The `review` and `sweep` commands: fetch -> decide -> diff -> apply.

Runs from a checkout of the default branch: the registry, schema, rules and
governance are read from there, never from the pull request, whose files are
read through the API as data.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.governance import GovernanceError, load_governance
from bot.policy import decide, plan_actions
from bot.policy import actions as A
from bot.policy.state import User


class EventError(Exception):
    """The event payload does not name a pull request the bot can act on."""


# ---------------------------------------------------------------------------
# Events


def pulls_from_event(event_name: str, payload: dict, adapter) -> list[int]:
    """The pull request(s) an Actions event is about. An empty list means
    there is nothing to do (a comment on an ordinary issue, say)."""
    if not isinstance(payload, dict):
        raise EventError("the event payload is not a JSON object")
    if event_name in ("pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"):
        number = (payload.get("pull_request") or {}).get("number")
        return [_number(number)]
    if event_name == "issue_comment":
        issue = payload.get("issue") or {}
        if not issue.get("pull_request"):
            return []  # a comment on an issue, not on a pull request
        return [_number(issue.get("number"))]
    if event_name == "workflow_run":
        run = payload.get("workflow_run") or {}
        pulls = [p.get("number") for p in run.get("pull_requests") or [] if isinstance(p, dict)]
        if pulls:
            return [_number(n) for n in pulls]
        sha = run.get("head_sha")
        if not isinstance(sha, str) or len(sha) != 40 or any(c not in "0123456789abcdef" for c in sha):
            raise EventError("the workflow_run event has no pull request and no valid head_sha")
        # From a fork, GitHub leaves pull_requests empty: find it by commit.
        return adapter.pulls_for_sha(sha)
    if event_name == "workflow_dispatch":
        value = (payload.get("inputs") or {}).get("pr")
        if value in (None, ""):
            return []
        return [_number(value)]
    raise EventError(f"the bot does not handle `{event_name}` events")


def _number(value) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise EventError(f"not a pull request number: {str(value)[:40]!r}") from None
    if number <= 0:
        raise EventError(f"not a pull request number: {number}")
    return number


# ---------------------------------------------------------------------------
# One pull request


def registry_of(project) -> dict[str, bytes]:
    return {project.relative(p): p.read_bytes() for p in project.entry_files()}


def checkout_sha(root: Path) -> str:
    """The commit of the local checkout of the default branch."""
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=30)
        if out.returncode == 0 and len(out.stdout.strip()) == 40:
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return os.environ.get("GITHUB_SHA", "0" * 40)


def review_pull(adapter, project, ctx, governance, number: int, *, dry_run: bool, now=None, proposer: User | None = None, out=sys.stdout) -> dict:
    from bot.datachange import assess_data_change

    registry = registry_of(project)
    sha = checkout_sha(project.root)
    state, handles = adapter.fetch_state(number, registry, sha, proposer=proposer)
    data_change = None
    data_files = [f for f in state.files if f.path.startswith("schema/")]
    if data_files and state.open:
        contents = {f.path: None if f.status == "removed" else adapter.read_file(f.path, state.head_sha) for f in data_files}
        data_change = assess_data_change(project, contents, registry)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    plan = decide(state, ctx, governance, now, data_change)
    if plan.merge is not None:
        # About to merge: is the registry we checked against still current?
        # (A duplicate id may have landed since the checkout.)
        tip = adapter.default_branch_tip(state.default_branch)
        if tip != state.registry_sha:
            changed = adapter.changed_entries_between(state.registry_sha, tip)
            registry = {k: v for k, v in {**registry, **changed}.items() if v is not None}
            state = dataclasses.replace(state, registry=registry, registry_sha=tip, base_branch_sha=tip)
            plan = decide(state, ctx, governance, now, data_change)
    actions = plan_actions(plan, state, governance)
    result = {
        "pull_request": number,
        "head": state.head_sha,
        "state_label": plan.state_label,
        "next_step": plan.next_step,
        "actions": [_describe(a) for a in actions],
        "merged": False,
    }
    if dry_run:
        result["requests"] = adapter.requests
        return result
    from bot.github_adapter import StopRun

    try:
        report = adapter.apply(actions, handles, state)
    except StopRun as stop:
        result["stopped"] = str(stop)
        return result
    result["merged"] = report["merged"]
    if report["merged"]:
        try:
            adapter.dispatch_workflow(governance.publish_workflow, state.default_branch)
            result["published"] = governance.publish_workflow
        except Exception as exc:  # the merge stands; publishing can be re-run
            result["publish_error"] = str(exc)
    result["requests"] = adapter.requests
    return result


def _describe(action) -> str:
    if isinstance(action, (A.CreateComment, A.EditComment)):
        first = action.body.splitlines()[1] if len(action.body.splitlines()) > 1 else ""
        what = "create the bot's comment" if isinstance(action, A.CreateComment) else f"edit the bot's comment {action.comment_id}"
        return f"{what}: {first[:100]}"
    if isinstance(action, A.Merge):
        return f"merge ({action.method}) at {action.expected_sha}: {action.title}"
    fields = ", ".join(f"{k}={v!r}" for k, v in dataclasses.asdict(action).items())
    return f"{type(action).__name__}({fields})"


# ---------------------------------------------------------------------------
# Commands


def _setup(args):
    from bot.cli import UsageError, load_context
    from bot.github_adapter import GitHubAdapter

    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        raise UsageError("GITHUB_TOKEN is not set: the bot needs a token to read and write on GitHub")
    repo = args.repo or os.environ.get("GITHUB_REPOSITORY", "")
    if not repo or repo.count("/") != 1:
        raise UsageError("--repo OWNER/NAME is required (or GITHUB_REPOSITORY)")
    ctx = load_context(args)
    try:
        governance = load_governance(ctx.project.governance_path)
    except GovernanceError as exc:
        raise UsageError(str(exc)) from None
    api = args.api_url or os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    adapter = GitHubAdapter(repo, token, governance, api_url=api, throttle=not args.no_throttle)
    return ctx, governance, adapter


def cmd_review(args) -> int:
    from bot.cli import UsageError
    from bot.github_adapter import AdapterError

    ctx, governance, adapter = _setup(args)
    numbers = []
    if args.pr is not None:
        numbers = [args.pr]
    elif args.event:
        name = args.event_name or os.environ.get("GITHUB_EVENT_NAME", "")
        try:
            payload = json.loads(Path(args.event).read_text(encoding="utf-8"))
            numbers = pulls_from_event(name, payload, adapter)
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read the event payload {args.event}: {exc}") from None
        except EventError as exc:
            raise UsageError(str(exc)) from None
        except AdapterError as exc:
            print(f"the bot could not find the pull request: {exc}", file=sys.stderr)
            return 2
    else:
        raise UsageError("give --pr N or --event PATH")
    if not numbers:
        print("nothing to do: the event is not about a pull request")
        return 0
    return _review_all(args, adapter, ctx, governance, numbers)


def _review_all(args, adapter, ctx, governance, numbers) -> int:
    from bot.github_adapter import AdapterError

    failures = 0
    for number in numbers:
        started = time.perf_counter()
        try:
            result = review_pull(adapter, ctx.project, ctx, governance, number, dry_run=args.dry_run)
        except AdapterError as exc:
            failures += 1
            print(f"pull request #{number}: the bot could not finish: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # a bug must not stop the sweep of the others
            if os.environ.get("BOT_DEBUG") == "1":
                raise
            failures += 1
            print(f"pull request #{number}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        result["seconds"] = round(time.perf_counter() - started, 3)
        _print_result(result, args.dry_run)
    return 2 if failures else 0


def _print_result(result: dict, dry_run: bool) -> None:
    head = f"pull request #{result['pull_request']} at {result['head'][:7]}: {result['state_label']}"
    print(head)
    print(f"  next step: {result['next_step']}")
    if result.get("stopped"):
        print(f"  stopped: {result['stopped']}")
    label = "would do" if dry_run else "did"
    if result["actions"]:
        for action in result["actions"]:
            print(f"  {label}: {action}")
    else:
        print("  nothing to change")
    if result.get("merged"):
        print("  merged")
    if result.get("publish_error"):
        print(f"  could not start publishing: {result['publish_error']}")
    print(f"  {result.get('requests', 0)} requests to GitHub")


def cmd_sweep(args) -> int:
    ctx, governance, adapter = _setup(args)
    numbers = adapter.open_pull_numbers()
    if not numbers:
        print("no open pull requests")
        return 0
    return _review_all(args, adapter, ctx, governance, numbers)


def add_parsers(sub, add_root) -> None:
    review = sub.add_parser("review", help="review one pull request on GitHub (label, comment, request reviews, merge)")
    review.add_argument("--repo", help="OWNER/NAME (default: GITHUB_REPOSITORY)")
    review.add_argument("--pr", type=int, help="the pull request number")
    review.add_argument("--event", help="a webhook payload file, as GitHub Actions provides it (GITHUB_EVENT_PATH)")
    review.add_argument("--event-name", help="the event's name (default: GITHUB_EVENT_NAME)")
    _common(review, add_root)
    review.set_defaults(func=cmd_review)

    sweep = sub.add_parser("sweep", help="reconcile every open pull request (so a missed event loses nothing)")
    sweep.add_argument("--repo", help="OWNER/NAME (default: GITHUB_REPOSITORY)")
    _common(sweep, add_root)
    sweep.set_defaults(func=cmd_sweep)


def _common(parser, add_root) -> None:
    parser.add_argument("--dry-run", action="store_true", help="print the actions and the request count; write nothing")
    parser.add_argument("--api-url", help="GitHub API URL (default: GITHUB_API_URL or https://api.github.com)")
    # for tests and benchmarks against the simulator: GitHub asks clients to
    # space their requests, which PyGithub does by default
    parser.add_argument("--no-throttle", action="store_true", help=argparse.SUPPRESS)
    add_root(parser)
