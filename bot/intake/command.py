"""The `intake`, `forms` and `new` commands.

``intake`` runs on an ``issues`` event: read the issue through the API ->
parse -> build and check -> decide -> write the branch, the pull request and
the reply -> review the pull request in the same run (a pull request opened
with the workflow's token starts no workflow), with the issue's author as
the proposer.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

from bot.intake.build import build_proposal
from bot.intake.flow import branch_for, decide_intake, form_of, render_reply
from bot.intake.forms import build_forms
from bot.intake.parse import parse_issue

INTAKE_ACTIONS = ("opened", "edited", "closed", "reopened")


def issue_from_event(payload) -> int | None:
    """The issue number of an ``issues`` event the intake handles, or None."""
    from bot.app import EventError, _number

    if not isinstance(payload, dict):
        raise EventError("the event payload is not a JSON object")
    if payload.get("action") not in INTAKE_ACTIONS:
        return None
    issue = payload.get("issue")
    if not isinstance(issue, dict) or issue.get("pull_request"):
        return None
    return _number(issue.get("number"))


def run_intake(adapter, project, ctx, governance, number: int, *, dry_run: bool = False, now=None) -> dict:
    from bot.app import registry_of, review_pull

    issue = adapter.read_issue(number)
    forms = build_forms(ctx.vocabularies)
    form = form_of(issue, forms)
    result = {"issue": number, "form": form.kind if form else None, "pull_request": None, "actions": []}
    if form is None:
        result["note"] = "not made from a registry form: nothing to do"
        return result
    branch = branch_for(number)
    pull = adapter.find_intake_pull(branch)
    proposal = None
    if issue.state == "open":
        today = (issue.created_at or (now or datetime.datetime.now(datetime.timezone.utc)).isoformat())[:10]
        proposal = build_proposal(parse_issue(issue.body, form), ctx, registry_of(project), today)
    branch_content = None
    if proposal is not None and proposal.content is not None and adapter.branch_tip(branch) is not None:
        branch_content = adapter.file_on_branch(proposal.path, branch)
    plan = decide_intake(issue, proposal, pull, branch_content)
    result["plan"] = plan.action
    result["errors"] = len(proposal.errors) if proposal else 0
    result["warnings"] = len(proposal.warnings) if proposal else 0
    pull_number = pull.number if pull else None
    default = adapter.default_branch_name()
    if plan.action == "ignore":
        result["note"] = plan.note
        return result
    if dry_run:
        if plan.write:
            result["actions"].append(f"write {proposal.path} on {branch}")
        if plan.open_pull:
            result["actions"].append(f"open a pull request: {plan.pull_title}")
        if plan.close_pull:
            result["actions"].append(f"close pull request #{pull_number}")
        result["actions"].append("answer in the issue")
        result["reply"] = render_reply(issue, form, proposal, plan, pull_number)
        result["pull_request"] = pull_number
        return result
    if plan.write:
        adapter.write_intake_entry(branch, default, proposal.path, proposal.content, plan.commit_message)
        result["actions"].append(f"wrote {proposal.path} on {branch}")
    if plan.open_pull:
        pull_number = adapter.open_intake_pull(plan.pull_title, plan.pull_body, branch, default)
        result["actions"].append(f"opened pull request #{pull_number}")
    elif plan.action == "write" and pull_number:
        adapter.edit_intake_pull(pull_number, title=plan.pull_title, body=plan.pull_body, state="open" if plan.reopen_pull else None)
    if plan.close_pull and pull_number:
        adapter.edit_intake_pull(pull_number, state="closed")
        result["actions"].append(f"closed pull request #{pull_number}")
    reply = render_reply(issue, form, proposal, plan, pull_number)
    written = adapter.upsert_intake_reply(number, reply)
    if written != "unchanged":
        result["actions"].append(f"{written} the reply in the issue")
    result["pull_request"] = pull_number
    if plan.review and pull_number:
        result["review"] = review_pull(adapter, project, ctx, governance, pull_number, dry_run=False, now=now, proposer=issue.author)
    return result


def cmd_intake(args) -> int:
    from bot.app import EventError, _setup
    from bot.cli import UsageError
    from bot.github_adapter import AdapterError

    if args.issue is None and not args.event:
        raise UsageError("give --event PATH (an `issues` event) or --issue N")
    ctx, governance, adapter = _setup(args)
    number = args.issue
    if number is None:
        try:
            payload = json.loads(Path(args.event).read_text(encoding="utf-8"))
            number = issue_from_event(payload)
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read the event payload {args.event}: {exc}") from None
        except EventError as exc:
            raise UsageError(str(exc)) from None
    if number is None:
        print("nothing to do: the event is not an issue being opened, edited, closed or reopened")
        return 0
    try:
        result = run_intake(adapter, ctx.project, ctx, governance, number, dry_run=args.dry_run)
    except AdapterError as exc:
        print(f"issue #{number}: the bot could not finish: {exc}", file=sys.stderr)
        return 2
    print(f"issue #{number}: {result.get('form') or 'not a form'}: {result.get('plan', 'ignore')}"
          f" ({result.get('errors', 0)} errors, {result.get('warnings', 0)} wording flags)")
    if result.get("note"):
        print(f"  {result['note']}")
    label = "would do" if args.dry_run else "did"
    for action in result["actions"]:
        print(f"  {label}: {action}")
    if args.dry_run and result.get("reply"):
        print("  reply:\n" + "\n".join("    " + line for line in result["reply"].splitlines()))
    if result.get("review"):
        print(f"  pull request #{result['pull_request']}: {result['review'].get('state_label')}")
    return 0


# ---------------------------------------------------------------------------
# forms


def cmd_forms(args) -> int:
    from bot.cli import load_context
    from bot.intake.forms import drift, write_forms

    ctx = load_context(args, wording=False)
    root = ctx.project.root
    if args.check:
        stale = drift(root, ctx.vocabularies)
        for rel in stale:
            print(f"{rel}: differs from what `python -m bot forms` generates from the schema and vocabularies; run it and commit the result")
        if not stale:
            print("the issue forms match the schema and vocabularies")
        return 1 if stale else 0
    written = write_forms(root, ctx.vocabularies)
    for rel in written:
        print(f"wrote {rel}")
    if not written:
        print("the issue forms are up to date")
    return 0


def add_parsers(sub, add_root) -> None:
    from bot.app import _common

    intake = sub.add_parser("intake", help="turn an issue form into a pull request (on `issues` events)")
    intake.add_argument("--repo", help="OWNER/NAME (default: GITHUB_REPOSITORY)")
    intake.add_argument("--event", help="the `issues` webhook payload (GITHUB_EVENT_PATH)")
    intake.add_argument("--issue", type=int, help="an issue number (instead of --event)")
    _common(intake, add_root)
    intake.set_defaults(func=cmd_intake)

    forms = sub.add_parser("forms", help="write the issue forms from the schema and vocabularies")
    forms.add_argument("--check", action="store_true", help="exit 1 if the committed forms differ from the generated ones")
    add_root(forms)
    forms.set_defaults(func=cmd_forms)

    from bot.intake import new as new_command

    new = sub.add_parser("new", help="create a new entry file (prompts, or flags for scripts), then check it")
    new_command.add_arguments(new)
    add_root(new)
    new.set_defaults(func=new_command.run)
