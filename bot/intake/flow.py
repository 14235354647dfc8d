"""What to do about a form issue: pure decisions and the words of the reply.

The branch name comes from the issue number only (never from anything a
person typed); the commit message and pull-request title only from a
validated identifier. The pull request's body carries a hidden marker naming
the issue's author, which the bot trusts only on a pull request that the bot
itself opened from its own intake branch (``trusted_proposer``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.intake.build import Proposal
from bot.intake.forms import CORRECTION, Form
from bot.intake.parse import split_sections
from bot.policy.comment import message as safe_message
from bot.policy.state import User

BRANCH_PREFIX = "registry-bot/intake-"
REPLY_MARKER = "<!-- registry-bot:intake-reply -->"
_PULL_MARKER = re.compile(
    r"<!-- registry-bot:intake issue=([1-9][0-9]{0,9}) author=([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?) id=([0-9]{1,15}) -->"
)
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$")


def branch_for(number: int) -> str:
    return f"{BRANCH_PREFIX}{int(number)}"


@dataclass(frozen=True)
class IssueInfo:
    number: int
    title: str
    body: str
    author: User
    state: str  # open | closed
    labels: tuple[str, ...] = ()
    is_pull: bool = False
    created_at: str = ""  # ISO 8601; its date is the new entry's last_reviewed


@dataclass(frozen=True)
class PullInfo:
    number: int
    state: str  # open | closed
    merged: bool
    head_ref: str
    head_repo: str | None
    author: str
    title: str = ""
    body: str = ""


@dataclass(frozen=True)
class IntakePlan:
    action: str  # ignore | reply | write | close
    write: bool = False  # commit the entry on the bot branch
    open_pull: bool = False
    reopen_pull: bool = False
    close_pull: bool = False
    pull_title: str | None = None
    pull_body: str | None = None
    commit_message: str | None = None
    review: bool = False
    note: str = ""


# ---------------------------------------------------------------------------
# Which form


def form_of(issue: IssueInfo, forms: tuple[Form, ...]) -> Form | None:
    """The form an issue was made from: by the label the form sets, or (when
    the repository lacks the label) by its headings."""
    if issue.is_pull:
        return None
    labels = {label.lower() for label in issue.labels}
    for form in sorted(forms, key=lambda f: f.kind != CORRECTION):
        if form.label.lower() in labels:
            return form
    best, score = None, 0
    for form in forms:
        found = split_sections((issue.body or "")[:70_000].replace("\r\n", "\n"), form)
        required = [f.id for f in form.fields if f.required and f.kind not in ("confirm", "note")]
        if required and all(r in found for r in required) and len(found) > score:
            best, score = form, len(found)
    return best


# ---------------------------------------------------------------------------
# The proposer of a bot pull request


def pull_marker(issue: IssueInfo) -> str:
    login = issue.author.login if _LOGIN.match(issue.author.login or "") else "ghost"
    return f"<!-- registry-bot:intake issue={int(issue.number)} author={login} id={int(issue.author.id or 0)} -->"


def trusted_proposer(author_login: str | None, head_ref: str | None, head_repo: str | None, body: str | None, *, repo: str, is_bot) -> User | None:
    """The issue author named in an intake pull request's marker, trusted
    only if the pull request was opened by the bot itself, from its own
    branch ``registry-bot/intake-<N>`` in this repository, for issue N."""
    if not is_bot(author_login) or not head_ref or not head_ref.startswith(BRANCH_PREFIX):
        return None
    if head_repo is None or head_repo.lower() != repo.lower():
        return None
    match = _PULL_MARKER.search(body or "")
    if not match or head_ref != branch_for(int(match.group(1))):
        return None
    user_id = int(match.group(3))
    return User(match.group(2), user_id or None)


def co_author(user: User) -> str:
    login = user.login if _LOGIN.match(user.login or "") else "ghost"
    email = f"{user.id}+{login}@users.noreply.github.com" if user.id else f"{login}@users.noreply.github.com"
    return f"Co-authored-by: {login} <{email}>"


# ---------------------------------------------------------------------------
# The decision


def pull_text(issue: IssueInfo, proposal: Proposal) -> tuple[str, str, str]:
    """(pull request title, body, commit message): only the issue number, a
    validated identifier and the author's login go in."""
    verb = "Correct" if proposal.kind == CORRECTION else "Add"
    title = f"{verb} {proposal.entry_id} (from issue #{issue.number})"
    login = issue.author.login if _LOGIN.match(issue.author.login or "") else "ghost"
    what = "a correction of" if proposal.kind == CORRECTION else "a new entry,"
    body = (
        f"This pull request was prepared by the registry bot from the form in issue #{issue.number}, "
        f"filled in by @{login}: {what} `{proposal.path}`.\n\n"
        "The bot checks it like any other change and asks the chair and co-chair to review it. "
        f"To change it, edit the issue; closing the issue closes this pull request. For the approval rules, @{login} is the proposer.\n\n"
        f"Closes #{issue.number}\n\n{pull_marker(issue)}\n"
    )
    message = f"{title}\n\nWritten by the registry bot from the form in issue #{issue.number}.\n\n{co_author(issue.author)}\n"
    return title, body, message


def decide_intake(issue: IssueInfo, proposal: Proposal | None, pull: PullInfo | None, branch_content: bytes | None) -> IntakePlan:
    """``proposal``: None when the issue is closed (nothing is parsed).
    ``branch_content``: the entry's bytes on the bot branch now (None if the
    branch or the file does not exist)."""
    if issue.state != "open":
        if pull is not None and pull.state == "open" and not pull.merged:
            return IntakePlan("close", close_pull=True, note="the issue was closed: close its pull request")
        return IntakePlan("ignore", note="the issue is closed and no pull request is open")
    assert proposal is not None
    if proposal.errors or proposal.unchanged or proposal.content is None:
        return IntakePlan("reply", note="the form needs changes" if proposal.errors else "nothing to change")
    if pull is not None and pull.merged:
        return IntakePlan("reply", note="the pull request was already merged")
    title, body, commit = pull_text(issue, proposal)
    return IntakePlan(
        "write",
        write=branch_content != proposal.content,
        open_pull=pull is None,
        reopen_pull=pull is not None and pull.state != "open",
        pull_title=title,
        pull_body=body,
        commit_message=commit,
        review=True,
    )


# ---------------------------------------------------------------------------
# The reply in the issue


def _item(finding) -> str:
    where = f" ({finding.where})" if finding.where else ""
    label = f"**{finding.label}**{where}: " if finding.label else ""
    text = safe_message(finding.message, 500)
    if text:
        text = text[0].upper() + text[1:] if not label else text
    out = f"{label}{text}"
    if finding.suggestion:
        suggestion = safe_message(finding.suggestion, 300)
        out += f" {suggestion[0].upper()}{suggestion[1:]}"
    return out


EDIT_HELP = (
    "to change your answers, edit this issue (the **···** menu at the top right of the issue, then **Edit**), "
    "correct the fields named here and save. I check the form again each time and update this reply."
)


def render_reply(issue: IssueInfo, form: Form, proposal: Proposal | None, plan: IntakePlan, pull_number: int | None) -> str:
    pr = f"pull request #{pull_number}" if pull_number else "a pull request"
    lines = [REPLY_MARKER, f"**Registry bot**: I read the answers in this form (“{form.name}”)."]
    if plan.action == "close":
        lines += ["", f"This issue was closed, so I closed {pr}. Reopen the issue to take the proposal up again."]
        return "\n".join(lines) + "\n"
    assert proposal is not None
    errors, warnings = proposal.errors, proposal.warnings
    if errors:
        n = len(errors)
        lines += ["", f"**Please change {n} thing{'s' if n != 1 else ''}** before the chairs can review this proposal:", ""]
        lines += [f"{i}. {_item(f)}" for i, f in enumerate(errors[:30], 1)]
        if n > 30:
            lines.append(f"\n…and {n - 30} more.")
    elif proposal.unchanged:
        lines += ["", "Every field you filled in already has that value in the registry, so there is nothing to change. "
                  "Fill in only the fields whose value should be different."]
    elif plan.note == "the pull request was already merged":
        lines += ["", f"This proposal was already accepted ({pr} was merged). For a further change, please open a new "
                  "“Correct an entry” form."]
    else:
        what = "correction of" if proposal.kind == CORRECTION else "new entry"
        lines += ["", f"Thank you: the {what} `{proposal.path}` passes the checks. I have prepared it as {pr}."]
    if warnings:
        lines += ["", "**Wording to look at** (not a blocker: the chair and co-chair decide, and can accept it):", ""]
        lines += [f"{i}. {_item(f)}" for i, f in enumerate(warnings[:20], 1)]
    lines.append("")
    if errors:
        lines.append(f"**Next step:** {EDIT_HELP}")
        if pull_number:
            lines.append(f"Until then, {pr} keeps the previous version of your answers.")
        else:
            lines.append("Nothing has been sent to the chairs yet.")
    elif plan.action == "write":
        lines.append(
            f"**Next step:** the chair and co-chair review {pr}; you will be notified there. "
            "To change something, edit this issue and I will update the pull request. Closing this issue withdraws the proposal."
        )
    else:
        lines.append(f"**Next step:** {EDIT_HELP}")
    return "\n".join(lines) + "\n"
