"""Real webhook payloads from @octokit/webhooks-examples, re-pointed at simulated objects."""

from __future__ import annotations

import copy
import datetime as _dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .spec import webhook_examples_path


@lru_cache(maxsize=None)
def _examples(path: str) -> dict[str, list[dict]]:
    with open(path, encoding="utf-8") as fh:
        return {ev["name"]: ev["examples"] for ev in json.load(fh)}


def webhook_events() -> dict[str, list[str | None]]:
    """event name -> the actions of its examples (None where the event has none)."""
    return {k: [e.get("action") for e in v] for k, v in _examples(str(webhook_examples_path())).items()}


def load_webhook_example(event: str, action: str | None = None, index: int = 0) -> dict:
    """A deep copy of a real example payload for `event` (and `action`, if given)."""
    examples = _examples(str(webhook_examples_path())).get(event)
    if not examples:
        raise KeyError(f"no webhook examples for event {event!r}")
    hits = [e for e in examples if action is None or e.get("action") == action]
    if len(hits) <= index:
        raise KeyError(f"no example #{index} for {event}.{action}; actions: "
                       f"{sorted({str(e.get('action')) for e in examples})}")
    return copy.deepcopy(hits[index])


def _overlay(real: Any, ours: dict) -> dict:
    """The real object with every value the simulator has put on top of it.

    Keys only the real example has stay as they are; the simulator's keys win (and fill
    in fields that a newer GitHub sends but the older example lacks). Where the example
    has an epoch integer for a timestamp (push payloads do), the type is kept."""
    if not isinstance(real, dict):
        return dict(ours)
    out = dict(real)
    for key, value in ours.items():
        if isinstance(real.get(key), int) and not isinstance(real.get(key), bool) \
                and isinstance(value, str) and value.endswith("Z"):
            value = int(_dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
                        .replace(tzinfo=_dt.timezone.utc).timestamp())
        out[key] = value
    return out


def adapt_payload(payload: dict, sim, repo, *, number: int | None = None, sha: str | None = None,
                  sender: str | None = None, comment_id: int | None = None,
                  review_id: int | None = None, ref: str | None = None) -> dict:
    """Point a real example payload at the simulated repo and objects.

    Rewrites repository, organization, sender, pull_request / issue (for `number`),
    comment, review, and push/status fields (`sha`, `ref`); everything else in the
    real payload stays as it was."""
    rp = sim.repo(repo)
    r = sim.render
    out = copy.deepcopy(payload)
    if "repository" in out:
        out["repository"] = _overlay(out["repository"], r.repo(rp))
    if "organization" in out or rp.owner.type == "Organization":
        org = {"login": rp.owner.login, "id": rp.owner.id, "node_id": r.user(rp.owner)["node_id"],
               "url": f"{r.api}/orgs/{rp.owner.login}", "repos_url": f"{r.api}/orgs/{rp.owner.login}/repos",
               "events_url": f"{r.api}/orgs/{rp.owner.login}/events",
               "hooks_url": f"{r.api}/orgs/{rp.owner.login}/hooks",
               "issues_url": f"{r.api}/orgs/{rp.owner.login}/issues",
               "members_url": f"{r.api}/orgs/{rp.owner.login}/members{{/member}}",
               "public_members_url": f"{r.api}/orgs/{rp.owner.login}/public_members{{/member}}",
               "avatar_url": r.user(rp.owner)["avatar_url"], "description": None}
        if rp.owner.type == "Organization":
            out["organization"] = _overlay(out.get("organization"), org)
    out["sender"] = _overlay(out.get("sender"), r.user(sim.user(sender) if sender else sim.actor))
    if number is not None:
        issue = rp.issues[number]
        out["number"] = number if "number" in out else out.get("number")
        if "number" not in payload:
            out.pop("number", None)
        if "pull_request" in out and issue.pull is not None:
            out["pull_request"] = _overlay(out["pull_request"], r.pull(rp, issue))
        if "issue" in out:
            out["issue"] = _overlay(out["issue"], r.issue(rp, issue))
        if "review" in out and review_id is not None:
            review = next(x for x in issue.pull.reviews if x.id == review_id)
            out["review"] = _overlay(out["review"], r.review(rp, issue, review))
    if "comment" in out and comment_id is not None:
        out["comment"] = _overlay(out["comment"], r.comment(rp, sim._comments[rp.full_name][comment_id]))
    if sha is not None:
        for key in ("after", "sha"):
            if key in out:
                out[key] = sha
        if isinstance(out.get("head_commit"), dict):
            out["head_commit"]["id"] = sha
            out["head_commit"]["tree_id"] = rp.commits[sha].tree_sha if sha in rp.commits else sha
        if "before" in out and sha in rp.commits and rp.commits[sha].parents:
            out["before"] = rp.commits[sha].parents[0]
        for key in ("check_run", "check_suite"):
            if isinstance(out.get(key), dict):
                out[key]["head_sha"] = sha
    if ref is not None and "ref" in out:
        out["ref"] = ref
    return out


def write_event(directory: Path, payload: dict, name: str = "event.json") -> Path:
    """Write a payload where GITHUB_EVENT_PATH can point at it."""
    path = Path(directory) / name
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return path
