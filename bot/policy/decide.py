"""The decision: from a pull request's state to the desired outcome (a Plan).

Pure: no network, no clock (``now`` is passed in and used only to tell
whether the comment period is over). Small rules, each returning a part of
the plan; ``decide`` puts them together.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from bot.governance import Governance
from bot.policy.changes import NEW, REMOVAL, UPDATE, Assessment, assess, flag_identity
from bot.policy.commands import ACCEPT, Command, commands, on_hold
from bot.policy.memory import Acceptance, Memory, read_memory
from bot.policy.reviews import Approvals, approvals, reviewers_to_request
from bot.policy.state import PullRequestState, Status
from bot.registry import Context

STATUS_CONTEXT = "registry-bot"


@dataclass(frozen=True)
class DataChangeReport:
    """How a change to the schema, vocabularies or rules affects the
    registry: computed by ``bot.policy.datachange`` (in a subprocess with a
    time limit, since the proposed schema is hostile input)."""

    ok: bool
    problem: str | None = None  # the proposed data files themselves are broken
    broken: tuple[tuple[str, int, str], ...] = ()  # (entry path, errors, first message)


@dataclass(frozen=True)
class MergeDecision:
    expected_sha: str
    title: str
    message: str
    method: str = "squash"


@dataclass(frozen=True)
class Plan:
    kind: str  # entries | maintainer | closed
    state_label: str | None
    labels: frozenset
    reviewers: tuple[str, ...]
    status: Status | None
    merge: MergeDecision | None
    reactions: tuple[tuple[int, str], ...]
    memory: Memory
    next_step: str
    blockers: tuple[str, ...] = ()
    # everything the comment shows, for the renderer
    assessment: Assessment | None = None
    approvals: Approvals | None = None
    commands: tuple[Command, ...] = ()
    open_flags: tuple = ()
    accepted_flags: tuple = ()
    hold: Command | None = None
    data_change: DataChangeReport | None = None
    merge_after: str | None = None
    extra: dict = field(default_factory=dict)


def _parse_time(text: str) -> datetime.datetime | None:
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def _acceptances(cmds, memory: Memory, state: PullRequestState, open_ids: tuple[str, ...]) -> tuple[Acceptance, ...]:
    """Recorded acceptances, plus new ones from /accept-wording commands.

    A new acceptance covers the flags open at the head commit it was given
    on: the current head if the comment is newer than the head commit,
    otherwise the flags the bot recorded at its previous evaluation."""
    known = {a.comment_id for a in memory.acceptances}
    out = list(memory.acceptances)
    head_time = _parse_time(state.head_committed_at)
    for cmd in cmds:
        if cmd.name != ACCEPT or not cmd.allowed or cmd.comment.id in known:
            continue
        when = _parse_time(cmd.comment.created_at)
        if head_time is None or when is None or when >= head_time:
            sha, flags = state.head_sha, open_ids
        else:
            sha, flags = memory.sha or state.head_sha, memory.flags
        out.append(Acceptance(cmd.comment.id, cmd.comment.user.login, cmd.argument, sha, tuple(flags)))
    return tuple(out)


def _entry_labels(assessment: Assessment, governance: Governance, ctx: Context) -> set[str]:
    labels = set()
    kinds = {e.kind for e in assessment.entries}
    for kind, key in ((NEW, "new-entry"), (UPDATE, "entry-update"), (REMOVAL, "entry-removal")):
        if kind in kinds:
            labels.add(governance.label(key))
    for entry in assessment.entries:
        data = entry.data
        scope = data.get("scope")
        if scope in ("national", "regional", "international"):
            labels.add(f"scope:{scope}")
        areas = data.get("issue_areas")
        if isinstance(areas, list):
            for area in areas:
                cluster = ctx.vocabularies.cluster_of(area) if isinstance(area, str) else None
                if cluster:
                    labels.add(f"cluster:{cluster}")
    if assessment.errors:
        labels.add(governance.label("invalid"))
    return labels


def decide(
    state: PullRequestState,
    ctx: Context,
    governance: Governance,
    now: datetime.datetime,
    data_change: DataChangeReport | None = None,
) -> Plan:
    memory = read_memory(state, governance)
    if not state.open or state.merged:
        return Plan("closed", None, frozenset(state.labels), (), None, None, (), memory, "Nothing to do: the pull request is closed.")

    assessment = assess(state, ctx, governance)
    cmds = commands(state, governance)
    hold = on_hold(cmds)
    result = approvals(state, governance)

    flags = assessment.flags
    flag_ids = tuple(dict.fromkeys(flag_identity(f) for f in flags))
    acceptances = _acceptances(cmds, memory, state, flag_ids)
    accepted_ids = {i for a in acceptances for i in a.flags}
    open_flags = tuple(f for f in flags if flag_identity(f) not in accepted_ids)
    accepted_flags = tuple(f for f in flags if flag_identity(f) in accepted_ids)

    reactions = tuple(
        (cmd.comment.id, "+1" if cmd.allowed else "confused") for cmd in cmds if cmd.comment.id not in memory.acks
    )
    acks = tuple(sorted(set(memory.acks) | {cmd.comment.id for cmd in cmds}))

    maintainer_change = (
        not assessment.entry_only or state.base_ref != state.default_branch or state.files_truncated
    )
    blockers: list[str] = []
    labels = _entry_labels(assessment, governance, ctx)
    if open_flags:
        labels.add(governance.label("neutrality-flag"))
    merge = None
    merge_after = None
    status_state, status_text = "pending", ""

    if maintainer_change:
        kind = "maintainer"
        state_key = "needs-maintainer"
        if state.base_ref != state.default_branch:
            blockers.append(f"the pull request targets `{state.base_ref}`, not the default branch `{state.default_branch}`")
        if state.files_truncated:
            blockers.append("the pull request changes more files than GitHub lists; the bot cannot see them all")
        data_ok = data_change is None or data_change.ok
        if assessment.errors:
            status_state, status_text = "failure", "An entry in this pull request has errors"
        elif not data_ok:
            status_state, status_text = "failure", "The proposed data change breaks the registry"
        elif result.maintainer is None:
            status_state, status_text = "pending", "Changes outside entries/: waiting for a maintainer's approval"
        elif result.blocking:
            status_state, status_text = "pending", "Changes requested by a reviewer"
        else:
            status_state, status_text = "success", "Checks pass and a maintainer approved this commit"
        reviewers = () if state.draft else reviewers_to_request(state, governance, result, maintainers=True)
        outside = "This pull request changes files outside the entry folder, so the maintainers review and merge it; the bot never merges such changes."
        if assessment.errors or not data_ok:
            next_step = f"{outside} First the author needs to fix what breaks the registry (listed below)."
        elif status_state == "success":
            next_step = f"{outside} The checks pass and a maintainer approved this commit: a maintainer can merge it."
        elif result.blocking:
            next_step = f"{outside} A reviewer asked for changes: the author needs to address them."
        else:
            next_step = f"{outside} Waiting for a maintainer to review this commit."
    else:
        kind = "entries"
        errors = assessment.errors
        if errors:
            blockers.append(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} to fix in the entry")
        if state.mergeable is False:
            blockers.append("the branch conflicts with the default branch and needs updating")
        if open_flags:
            blockers.append(f"{len(open_flags)} phrase{'s' if len(open_flags) != 1 else ''} to reword or accept")
        if result.blocking:
            blockers.append("changes were requested by " + ", ".join(u.login for u in result.blocking))
        if result.chair is None:
            blockers.append("waiting for the chair's approval of this commit")
        if result.co_chair is None:
            blockers.append("waiting for the co-chair's approval of this commit")
        if hold is not None:
            blockers.append(f"on hold (`/hold` by {hold.comment.user.login})")
        if state.draft:
            blockers.append("the pull request is a draft")

        if hold is not None:
            state_key = "on-hold"
        elif errors or result.blocking or state.mergeable is False or state.draft:
            state_key = "awaiting-changes"
        elif open_flags or not result.complete:
            state_key = "awaiting-review"
        else:
            state_key = "ready-to-merge"

        if errors:
            status_state, status_text = "failure", f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the entry"
        elif result.blocking:
            status_state, status_text = "pending", "Valid; changes requested by a reviewer"
        elif hold is not None:
            status_state, status_text = "pending", "Valid; on hold"
        elif open_flags:
            status_state, status_text = "pending", "Valid; wording to look at"
        elif not result.complete:
            status_state, status_text = "pending", "Valid; waiting for the chair and co-chair"
        else:
            status_state, status_text = "success", "Valid and approved by the chair and co-chair"

        reviewers = ()
        if not errors and not state.draft:
            reviewers = reviewers_to_request(state, governance, result, maintainers=False)

        if state_key == "ready-to-merge":
            period = governance.comment_period_hours
            committed = _parse_time(state.head_committed_at)
            if period and committed is not None:
                until = committed + datetime.timedelta(hours=period)
                if now < until:
                    merge_after = until.strftime("%d %b %Y, %H:%M UTC")
                    blockers.append(f"the comment period runs until {merge_after}")
            if state.registry_sha != state.base_branch_sha:
                blockers.append("the default branch changed since the check; checking again before merging")
            if state.mergeable is None:
                blockers.append("GitHub is still working out whether the branch can be merged")
            if not merge_after and state.registry_sha == state.base_branch_sha and state.mergeable:
                merge = MergeDecision(state.head_sha, _merge_title(state, assessment), _merge_message(state, assessment, result, acceptances, accepted_flags, governance))
        next_step = _next_step(state_key, errors, open_flags, result, hold, state, merge, merge_after)

    status = Status(status_state, status_text[:140], STATUS_CONTEXT)
    new_memory = Memory(
        sha=state.head_sha,
        flags=flag_ids,
        acks=acks[-300:],
        acceptances=acceptances,
        status=(status.state, status.description),
    )
    return Plan(
        kind=kind,
        state_label=governance.label(state_key),
        labels=frozenset(labels | {governance.label(state_key)}),
        reviewers=reviewers,
        status=status,
        merge=merge,
        reactions=reactions,
        memory=new_memory,
        next_step=next_step if kind == "entries" else next_step,
        blockers=tuple(blockers),
        assessment=assessment,
        approvals=result,
        commands=cmds,
        open_flags=open_flags,
        accepted_flags=accepted_flags,
        hold=hold,
        data_change=data_change,
        merge_after=merge_after,
        extra={"acceptances": acceptances},
    )


def _next_step(state_key, errors, open_flags, result: Approvals, hold, state, merge, merge_after) -> str:
    if state.draft:
        return "The pull request is a draft: the bot checks it, but asks for reviews only when it is marked ready for review."
    if hold is not None:
        return f"On hold at the request of {hold.comment.user.login}. Someone allowed to can continue with `/unhold`."
    if errors:
        n = len(errors)
        return (
            f"The author needs to fix {n} problem{'s' if n != 1 else ''} in the entry. Once the entry is valid, "
            "the chair and co-chair will be asked to review."
        )
    if state.mergeable is False:
        return "The author needs to update the branch: it conflicts with the default branch."
    if result.blocking:
        return "A reviewer asked for changes: the author needs to address them, then the reviewer approves again."
    if open_flags:
        return (
            "The chair and co-chair need to review: some wording is flagged. The author can reword it, or a chair "
            "can accept it with `/accept-wording <reason>`."
        )
    if not result.complete:
        missing = [role for role, who in (("chair", result.chair), ("co-chair", result.co_chair)) if who is None]
        return f"Waiting for the {' and '.join(missing)} to approve this commit."
    if merge is not None:
        return "Approved by the chair and co-chair: the bot merges this commit."
    if merge_after:
        return f"Approved. The bot will merge after the comment period ends ({merge_after})."
    return "Approved. The bot will merge once GitHub confirms the branch can be merged and the check is current."


def _merge_title(state: PullRequestState, assessment: Assessment) -> str:
    parts = []
    for entry in assessment.entries:
        name = entry.data.get("name") if isinstance(entry.data.get("name"), str) else entry.path
        verb = {NEW: "Add", UPDATE: "Update", REMOVAL: "Remove"}[entry.kind]
        parts.append(f"{verb} {' '.join(str(name).split())}")
    title = "; ".join(parts) if parts else state.title
    if len(title) > 120:
        title = title[:117] + "..."
    return f"{title} (#{state.number})"


def _merge_message(state, assessment, result: Approvals, acceptances, accepted_flags, governance: Governance) -> str:
    lines = [f"Merged by the registry bot after review of commit {state.head_sha}.", ""]
    for entry in assessment.entries:
        lines.append(f"- {entry.kind}: {entry.path}")
    lines.append("")
    lines.append(f"Approved-by: {result.chair.login} (chair role)")
    lines.append(f"Approved-by: {result.co_chair.login} (co-chair role)")
    used = {flag_identity(f) for f in accepted_flags}
    for acceptance in acceptances:
        covered = sorted(set(acceptance.flags) & used)
        if not covered:
            continue
        phrases = ", ".join(f'"{i.rsplit("|", 1)[-1]}"' for i in covered)
        reason = " ".join(acceptance.reason.split())
        lines.append(f"Wording-accepted-by: {acceptance.by} ({phrases}): {reason}")
    proposer = state.who_proposed
    if state.proposer is not None:
        email = f"{proposer.id}+{proposer.login}@users.noreply.github.com" if proposer.id else f"{proposer.login}@users.noreply.github.com"
        lines.append(f"Co-authored-by: {proposer.login} <{email}>")
    return "\n".join(lines)
