"""The bot's one comment, written for people who are not programmers.

It says what was checked at which commit (the head commit's time, never the
current time, so a re-run on the same state writes nothing), who must do what
next, each problem with a link to its line, the wording to look at, the
approvals, and a published -> proposed table of what changes. Untrusted text
is escaped so it cannot ping people, inject HTML or forge the marker.
"""

from __future__ import annotations

import datetime
import re

from bot.governance import Governance
from bot.policy.changes import NEW, REMOVAL, UPDATE, EntryChange
from bot.policy.decide import Plan
from bot.policy.memory import MARKER
from bot.policy.state import PullRequestState

MAX_COMMENT = 65_536
_BUDGET = 60_000  # leave room for the footer and the hidden memory block

FIELD_ORDER = (
    "id", "name", "acronym", "organizations", "issue_areas", "scope", "regions", "countries",
    "mechanism_type", "status", "start_date", "description", "urls", "stakeholders", "gaps",
    "sources", "verification", "last_reviewed",
)


def escape(text, limit: int = 300) -> str:
    """Untrusted text, safe inside Markdown (also inside table cells): no
    HTML, no @-mentions, no #-references, no links, no line breaks."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|~#!])", r"\\\1", text)
    text = text.replace("@", "@\u200b")  # a zero-width space breaks a mention
    text = re.sub(r"(?i)(https?|ftp|javascript|data)(:)", "\\1\u200b\\2", text)  # no autolinks
    return text


def message(text, limit: int = 400) -> str:
    """One of our messages, which quotes untrusted values in `backticks`:
    keeps the code spans, neutralises everything else like ``escape``."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\\[\]|~#!])", r"\\\1", text)
    text = text.replace("@", "@\u200b")
    text = re.sub(r"(?i)(https?|ftp|javascript|data)(:)", "\\1\u200b\\2", text)
    if text and not text.endswith((".", "?", "!", "…")):
        text += "."
    return text


def code(text, limit: int = 120) -> str:
    """Untrusted text shown as inline code (backticks inside are replaced)."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("`", "ʼ")
    return f"`{text}`" if text.strip() else "(empty)"


def short_sha(sha: str) -> str:
    return sha[:7]


def format_time(iso: str) -> str:
    try:
        value = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return "unknown time"
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc)
    return value.strftime("%d %b %Y, %H:%M UTC")


def line_link(state: PullRequestState, path: str, line: int) -> str:
    safe_path = "/".join(re.sub(r"[^A-Za-z0-9._-]", "", part) for part in path.split("/"))
    return f"https://github.com/{state.repo}/blob/{state.head_sha}/{safe_path}#L{line}"


def _value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(v)}" for k, v in value.items()) or "—"
    return str(value)


def _field_rows(entry: EntryChange) -> list[tuple[str, str, str]]:
    head = entry.data if entry.kind != REMOVAL else {}
    base = entry.base_data
    keys = [k for k in FIELD_ORDER if k in head or k in base]
    keys += sorted(k for k in set(head) | set(base) if k not in FIELD_ORDER and isinstance(k, str))
    rows = []
    for key in keys:
        old, new = base.get(key), head.get(key)
        if entry.kind == UPDATE and old == new:
            continue
        rows.append((
            key,
            "(new)" if entry.kind == NEW else escape(_value(old), 160),
            "(removed)" if entry.kind == REMOVAL else escape(_value(new), 160),
        ))
    return rows


def _person(governance_person) -> str:
    return escape(governance_person.display, 60)


def render(plan: Plan, state: PullRequestState, governance: Governance) -> str:
    """The whole comment body, marker and memory included."""
    a = plan.assessment
    ap = plan.approvals
    out = [
        MARKER,
        f"**Registry bot: review status** for commit `{short_sha(state.head_sha)}` "
        f"(committed {format_time(state.head_committed_at)})",
        "",
        f"**Next step:** {plan.next_step}",
        "",
    ]
    errors = a.errors if a else ()
    warnings = a.warnings if a else ()
    rows = [("check", "result"), ("---", "---")]
    if a and a.entries:
        rows.append(("Entry format", f"❌ {len(errors)} problem{'s' if len(errors) != 1 else ''}" if errors else "✅ valid"))
        if plan.open_flags:
            rows.append(("Neutral wording", f"⚠️ {len(plan.open_flags)} phrase{'s' if len(plan.open_flags) != 1 else ''} to look at"))
        elif plan.accepted_flags:
            rows.append(("Neutral wording", "✅ flagged wording accepted by a chair"))
        else:
            rows.append(("Neutral wording", "✅ nothing flagged"))
    if plan.kind == "entries" and ap is not None:
        for label, person, who in (("Chair", governance.chair, ap.chair), ("Co-chair", governance.co_chair, ap.co_chair)):
            if who is not None:
                result = f"✅ approved by {escape(who.login, 60)}"
            elif any(u.login.lower() == person.login.lower() for u in ap.blocking):
                result = "❌ changes requested"
            elif plan.reviewers or state.requested_reviewers:
                result = "⏳ review requested"
            else:
                result = "not requested yet"
            rows.append((f"{label} approval ({_person(person)})", result))
    if plan.kind == "maintainer" and ap is not None:
        rows.append(("Maintainer approval", f"✅ approved by {escape(ap.maintainer.login, 60)}" if ap.maintainer else "⏳ waiting"))
        if plan.data_change is not None:
            rows.append(("Registry with the proposed data", "✅ every entry still valid" if plan.data_change.ok else "❌ breaks the registry"))
    if plan.hold is not None:
        rows.append(("Hold", f"⏸ on hold (by {escape(plan.hold.comment.user.login, 60)})"))
    out += [f"| {x} | {y} |" for x, y in rows]
    out.append("")

    body: list[str] = []
    if plan.kind == "maintainer":
        body += ["**Files outside the entry folder**", ""]
        for path in (a.other_files if a else ())[:50]:
            body.append(f"- {code(path)}")
        body.append("")
        for blocker in plan.blockers:
            body.append(f"- {escape(blocker)}")
        if plan.data_change is not None and not plan.data_change.ok:
            body += ["", "**What the proposed schema, vocabularies or rules would break**", ""]
            if plan.data_change.problem:
                body.append(f"- {escape(plan.data_change.problem, 500)}")
            for path, count, first in plan.data_change.broken[:100]:
                body.append(f"- {code(path)}: {count} error{'s' if count != 1 else ''}, first: {message(first)}")
            if len(plan.data_change.broken) > 100:
                body.append(f"- … and {len(plan.data_change.broken) - 100} more entries")
        body.append("")
    if errors:
        body += ["**Problems to fix**", ""]
        for n, f in enumerate(errors, 1):
            where = f"[line {f.line}]({line_link(state, f.path, f.line)})"
            text = f"{n}. {code(f.path)} {where}: {message(f.message)}"
            if f.suggestion:
                text += f" {message(_sentence(f.suggestion))}"
            body.append(text)
        body.append("")
    if plan.open_flags or plan.accepted_flags:
        body += ["**Wording to look at**", ""]
        for n, f in enumerate(plan.open_flags, 1):
            where = f"[line {f.line}]({line_link(state, f.path, f.line)})"
            text = f"{n}. {where} of {code(f.path)}: {message(f.message)}"
            if f.suggestion:
                text += f" {message(_sentence(f.suggestion))}"
            body.append(text)
        if plan.open_flags:
            body.append("")
            body.append("The chair, co-chair or an alternate can accept this wording with `/accept-wording <reason>`.")
        accepted = plan.extra.get("acceptances", ())
        if plan.accepted_flags:
            body.append("")
            body.append("Accepted wording:")
            for acc in accepted:
                covered = [f for f in plan.accepted_flags if _identity(f) in acc.flags]
                if covered:
                    phrases = ", ".join(f'"{escape(f.match or "", 80)}"' for f in covered)
                    body.append(f"- {phrases}: accepted by {escape(acc.by, 60)} at `{short_sha(acc.sha)}`: {escape(acc.reason, 300)}")
        body.append("")
    if warnings:
        body += ["**Also worth checking** (these do not block)", ""]
        for f in warnings:
            body.append(f"- {code(f.path)} [line {f.line}]({line_link(state, f.path, f.line)}): {message(f.message)}")
        body.append("")
    if plan.commands:
        refused = [c for c in plan.commands if not c.allowed]
        if refused:
            body += ["**Commands not applied**", ""]
            for c in refused[-10:]:
                body.append(f"- `/{c.name}` from {escape(c.comment.user.login, 60)}: {escape(c.problem or '', 200)}")
            body.append("")
    if a:
        for entry in a.entries:
            kind = {NEW: "new entry", UPDATE: "update", REMOVAL: "removal"}[entry.kind]
            body += [f"**What changes** ({code(entry.path)}, {kind})", ""]
            rows = _field_rows(entry)
            if rows:
                body += ["| field | published | proposed |", "|---|---|---|"]
                body += [f"| {code(k, 40)} | {old} | {new} |" for k, old, new in rows]
            else:
                body.append("No field changes (formatting only).")
            if entry.data.get("verification") == "pending" and entry.kind != REMOVAL:
                body.append("")
                body.append("This entry is marked `verification: pending`: its facts still need checking against the sources.")
            body.append("")

    text = "\n".join(body)
    if len(text) > _BUDGET:
        cut = text[:_BUDGET].rsplit("\n", 1)[0]
        text = cut + "\n\n*(This comment is shortened: it would exceed GitHub's size limit. Run `python -m bot check` on the files for the full list.)*\n"
    out.append(text)
    if plan.kind == "maintainer":
        footer = (
            "<sub>This comment is updated on every push. Changes outside the entry folder are merged by a "
            "maintainer, never by the bot; the bot's `registry-bot` status turns green when the checks pass and a "
            "maintainer has approved the latest commit. Commands: `/recheck` (anyone).</sub>"
        )
    else:
        footer = (
            "<sub>This comment is updated on every push. The bot merges automatically when both the chair and the "
            "co-chair have approved the latest commit, no wording is left to look at, and nothing is on hold. "
            "Commands: `/recheck` (anyone), `/hold` and `/unhold` (chairs and maintainers), "
            "`/accept-wording <reason>` (chair, co-chair, alternates).</sub>"
        )
    out += [footer, plan.memory.encode()]
    result = "\n".join(out)
    if len(result) >= MAX_COMMENT:  # only a huge memory block could do this
        keep = MAX_COMMENT - len(plan.memory.encode()) - 200
        result = result[:keep] + "\n\n*(shortened)*\n" + plan.memory.encode()
    return result


def _identity(finding):
    from bot.policy.changes import flag_identity

    return flag_identity(finding)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
