"""Issues, comments, reactions and labels."""

from __future__ import annotations

import re
from typing import Any

from .. import model as m
from ..model import Repo
from . import DOCS, ApiError, invalid, not_found, route


# --- issues, comments, reactions -----------------------------------------------------------
@route("POST", "/repos/{owner}/{repo}/issues")
def create_issue(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    if not body.get("title"):
        raise invalid("title", code="missing_field")
    n = ctx.sim.open_issue(rp, ctx.actor.login, str(body["title"]), body.get("body"),
                           labels=[lab if isinstance(lab, str) else lab["name"] for lab in body.get("labels", [])])
    return 201, ctx.r.issue(rp, rp.issues[n])


@route("GET", "/repos/{owner}/{repo}/issues")
def list_issues(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    state = ctx.q("state", "open")
    wanted = {x.strip().lower() for x in (ctx.q("labels") or "").split(",") if x.strip()}
    out = [i for i in rp.issues.values()
           if (state == "all" or i.state == state) and wanted <= {n.lower() for n in i.labels}
           and (ctx.q("creator") is None or i.user.login == ctx.q("creator"))]
    key = (lambda i: i.updated_at) if ctx.q("sort") == "updated" else (lambda i: i.created_at)
    out.sort(key=lambda i: (key(i), i.number), reverse=ctx.q("direction", "desc") == "desc")
    return 200, [ctx.r.issue(rp, i) for i in ctx.paginate(out)]


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}")
def get_issue(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    return 200, ctx.r.issue(rp, ctx.issue(rp, issue_number))


@route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}")
def update_issue(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    body = ctx.json()
    if body.get("state") not in (None, "open", "closed"):
        raise invalid("state")
    labels = body.get("labels")
    if labels is not None:
        labels = [lab if isinstance(lab, str) else lab["name"] for lab in labels]
    if "assignees" in body:
        issue.assignees = [ctx.sim.user(a).login for a in body["assignees"] or []]
    ctx.sim.edit_issue(rp, issue.number, title=body.get("title"), body=body.get("body"),
                       state=body.get("state"), labels=labels, state_reason=body.get("state_reason"))
    return 200, ctx.r.issue(rp, issue)


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def list_comments(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    store = ctx.sim._comments[rp.full_name]
    return 200, [ctx.r.comment(rp, store[i]) for i in ctx.paginate(issue.comments)]


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def create_comment(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    text = _comment_body(ctx)
    cid = ctx.sim.comment(rp, issue.number, ctx.actor.login, text)
    return 201, ctx.r.comment(rp, ctx.sim._comments[rp.full_name][cid])


def _comment_body(ctx) -> str:
    """The `body` of a create/edit comment request, checked as GitHub does."""
    text = ctx.json().get("body")
    if not isinstance(text, str) or not text:
        raise invalid("body", code="missing_field", resource="IssueComment")
    if len(text) > 65536:
        raise invalid("body", code="custom", resource="IssueComment",
                      message="Body is too long (maximum is 65536 characters)")
    return text


def _comment(ctx, rp: Repo, comment_id: str):
    c = ctx.sim._comments[rp.full_name].get(int(comment_id)) if comment_id.isdigit() else None
    if c is None:
        raise not_found()
    return c


@route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def get_comment(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    return 200, ctx.r.comment(rp, _comment(ctx, rp, comment_id))


@route("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def edit_comment(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    c = _comment(ctx, rp, comment_id)
    text = _comment_body(ctx)
    c.body, c.updated_at = text, ctx.sim.now()
    return 200, ctx.r.comment(rp, c)


@route("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def delete_comment(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    c = _comment(ctx, rp, comment_id)
    rp.issues[c.issue_number].comments.remove(c.id)
    del ctx.sim._comments[rp.full_name][c.id]
    return 204, None


REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")


@route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")
def list_reactions(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    return 200, [ctx.r.reaction(x) for x in ctx.paginate(_comment(ctx, rp, comment_id).reactions)]


@route("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")
def add_reaction(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    c = _comment(ctx, rp, comment_id)
    content = ctx.json().get("content")
    if content not in REACTIONS:
        raise invalid("content", resource="Reaction")
    for x in c.reactions:
        if x.user.login == ctx.actor.login and x.content == content:
            return 200, ctx.r.reaction(x)
    x = m.Reaction(id=ctx.sim.new_id(), user=ctx.actor, content=content, created_at=ctx.sim.now())
    c.reactions.append(x)
    return 201, ctx.r.reaction(x)


# --- labels --------------------------------------------------------------------------------
def _label_names(body: Any) -> list[str]:
    items = body.get("labels", []) if isinstance(body, dict) else body
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list):
        raise invalid("labels", resource="Label")
    return [i if isinstance(i, str) else i.get("name", "") for i in items]


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def issue_labels(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    return 200, [ctx.r.label(rp, n) for n in ctx.paginate(issue.labels)]


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def add_labels(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    for name in _label_names(ctx.body):
        ctx.sim._add_label(rp, issue, name)
    issue.updated_at = ctx.sim.now()
    return 200, [ctx.r.label(rp, n) for n in issue.labels]


@route("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def set_labels(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    ctx.sim.edit_issue(rp, issue.number, labels=_label_names(ctx.body))
    return 200, [ctx.r.label(rp, n) for n in issue.labels]


@route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def clear_labels(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    ctx.sim.edit_issue(rp, ctx.issue(rp, issue_number).number, labels=[])
    return 204, None


@route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}")
def remove_label(ctx, owner, repo, issue_number, name):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    hit = [n for n in issue.labels if n.lower() == name.lower()]
    if not hit:
        raise ApiError(404, "Label does not exist", docs=DOCS + "/issues/labels#remove-a-label-from-an-issue")
    issue.labels.remove(hit[0])
    issue.updated_at = ctx.sim.now()
    return 200, [ctx.r.label(rp, n) for n in issue.labels]


@route("GET", "/repos/{owner}/{repo}/labels")
def list_labels(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    return 200, [ctx.r.label(rp, k) for k in ctx.paginate(list(rp.labels))]


@route("POST", "/repos/{owner}/{repo}/labels")
def create_label(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    name = body.get("name")
    if not name:
        raise invalid("name", code="missing_field", resource="Label")
    if name.lower() in rp.labels:
        raise invalid("name", code="already_exists", resource="Label")
    color = (body.get("color") or "ededed").lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
        raise invalid("color", resource="Label")
    ctx.sim.create_label(rp, name, color, body.get("description"))
    return 201, ctx.r.label(rp, name)


@route("GET", "/repos/{owner}/{repo}/labels/{name}")
def get_label(ctx, owner, repo, name):
    rp = ctx.repo(owner, repo)
    if name.lower() not in rp.labels:
        raise not_found()
    return 200, ctx.r.label(rp, name)


@route("PATCH", "/repos/{owner}/{repo}/labels/{name}")
def update_label(ctx, owner, repo, name):
    rp = ctx.repo(owner, repo)
    lab = rp.labels.get(name.lower())
    if lab is None:
        raise not_found()
    body = ctx.json()
    if body.get("new_name"):
        del rp.labels[name.lower()]
        for issue in rp.issues.values():
            issue.labels = [body["new_name"] if n == lab.name else n for n in issue.labels]
        lab.name = body["new_name"]
        rp.labels[lab.name.lower()] = lab
    if body.get("color"):
        lab.color = body["color"].lstrip("#")
    if "description" in body:
        lab.description = body["description"]
    return 200, ctx.r.label(rp, lab.name)


@route("DELETE", "/repos/{owner}/{repo}/labels/{name}")
def delete_label(ctx, owner, repo, name):
    rp = ctx.repo(owner, repo)
    lab = rp.labels.pop(name.lower(), None)
    if lab is None:
        raise not_found()
    for issue in rp.issues.values():
        if lab.name in issue.labels:
            issue.labels.remove(lab.name)
    return 204, None
