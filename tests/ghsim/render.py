"""JSON shapes of GitHub's REST resources, every URL on the simulator's base URL."""

from __future__ import annotations

import base64
import urllib.parse
from typing import TYPE_CHECKING

from .model import FILE, EXECUTABLE, SUBMODULE, SYMLINK, Commit, Entry, Issue, Repo, User

if TYPE_CHECKING:
    from .simulator import Simulator


def q(part: str) -> str:
    return urllib.parse.quote(part, safe="")


def node_id(kind: str, ident: int | str) -> str:
    return base64.b64encode(f"0:{kind}{ident}".encode()).decode().rstrip("=")


class Renderer:
    def __init__(self, sim: "Simulator"):
        self.sim = sim

    @property
    def api(self) -> str:
        return self.sim.base_url

    @property
    def web(self) -> str:
        # "github.com" pages; kept on the simulator host so nothing points outside.
        return self.sim.base_url + "/_web"

    # -- users ---------------------------------------------------------------
    def user(self, u: User | None) -> dict | None:
        if u is None:
            return None
        a, login = self.api, u.login
        return {
            "login": login, "id": u.id, "node_id": node_id("User", u.id),
            "avatar_url": f"{a}/_avatars/{u.id}", "gravatar_id": "",
            "url": f"{a}/users/{q(login)}", "html_url": f"{self.web}/{q(login)}",
            "followers_url": f"{a}/users/{q(login)}/followers",
            "following_url": f"{a}/users/{q(login)}/following{{/other_user}}",
            "gists_url": f"{a}/users/{q(login)}/gists{{/gist_id}}",
            "starred_url": f"{a}/users/{q(login)}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{a}/users/{q(login)}/subscriptions",
            "organizations_url": f"{a}/users/{q(login)}/orgs",
            "repos_url": f"{a}/users/{q(login)}/repos",
            "events_url": f"{a}/users/{q(login)}/events{{/privacy}}",
            "received_events_url": f"{a}/users/{q(login)}/received_events",
            "type": u.type, "site_admin": u.site_admin, "user_view_type": "public",
        }

    # -- repositories ------------------------------------------------------------
    def repo_url(self, repo: Repo) -> str:
        return f"{self.api}/repos/{repo.full_name}"

    def repo(self, repo: Repo, full: bool = True) -> dict:
        u, h = self.repo_url(repo), f"{self.web}/{repo.full_name}"
        open_issues = sum(1 for i in repo.issues.values() if i.state == "open")
        out = {
            "id": repo.id, "node_id": node_id("Repository", repo.id), "name": repo.name,
            "full_name": repo.full_name, "private": repo.private, "owner": self.user(repo.owner),
            "html_url": h, "description": repo.description, "fork": False, "url": u,
            "archive_url": f"{u}/{{archive_format}}{{/ref}}", "assignees_url": f"{u}/assignees{{/user}}",
            "blobs_url": f"{u}/git/blobs{{/sha}}", "branches_url": f"{u}/branches{{/branch}}",
            "collaborators_url": f"{u}/collaborators{{/collaborator}}",
            "comments_url": f"{u}/comments{{/number}}", "commits_url": f"{u}/commits{{/sha}}",
            "compare_url": f"{u}/compare/{{base}}...{{head}}", "contents_url": f"{u}/contents/{{+path}}",
            "contributors_url": f"{u}/contributors", "deployments_url": f"{u}/deployments",
            "downloads_url": f"{u}/downloads", "events_url": f"{u}/events", "forks_url": f"{u}/forks",
            "git_commits_url": f"{u}/git/commits{{/sha}}", "git_refs_url": f"{u}/git/refs{{/sha}}",
            "git_tags_url": f"{u}/git/tags{{/sha}}", "git_url": f"git://127.0.0.1/{repo.full_name}.git",
            "issue_comment_url": f"{u}/issues/comments{{/number}}",
            "issue_events_url": f"{u}/issues/events{{/number}}", "issues_url": f"{u}/issues{{/number}}",
            "keys_url": f"{u}/keys{{/key_id}}", "labels_url": f"{u}/labels{{/name}}",
            "languages_url": f"{u}/languages", "merges_url": f"{u}/merges",
            "milestones_url": f"{u}/milestones{{/number}}",
            "notifications_url": f"{u}/notifications{{?since,all,participating}}",
            "pulls_url": f"{u}/pulls{{/number}}", "releases_url": f"{u}/releases{{/id}}",
            "ssh_url": f"git@127.0.0.1:{repo.full_name}.git", "stargazers_url": f"{u}/stargazers",
            "statuses_url": f"{u}/statuses/{{sha}}", "subscribers_url": f"{u}/subscribers",
            "subscription_url": f"{u}/subscription", "tags_url": f"{u}/tags", "teams_url": f"{u}/teams",
            "trees_url": f"{u}/git/trees{{/sha}}", "clone_url": f"{h}.git", "mirror_url": None,
            "hooks_url": f"{u}/hooks", "svn_url": h, "homepage": None, "language": None,
            "forks_count": 0, "stargazers_count": 0, "watchers_count": 0, "size": 0,
            "default_branch": repo.default_branch, "open_issues_count": open_issues,
            "is_template": False, "topics": [], "has_issues": True, "has_projects": False,
            "has_wiki": False, "has_pages": False, "has_downloads": True, "has_discussions": False,
            "archived": False, "disabled": False,
            "visibility": "private" if repo.private else "public",
            "pushed_at": repo.pushed_at or repo.created_at, "created_at": repo.created_at,
            "updated_at": repo.pushed_at or repo.created_at,
            "permissions": {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True},
            "allow_forking": True, "web_commit_signoff_required": False,
            "forks": 0, "open_issues": open_issues, "watchers": 0, "license": None,
        }
        if full:
            out.update({"network_count": 0, "subscribers_count": 0,
                        "allow_squash_merge": True, "allow_merge_commit": True,
                        "allow_rebase_merge": True, "delete_branch_on_merge": False})
        return out

    # -- git -----------------------------------------------------------------
    def git_user(self, c: Commit) -> dict:
        return {"name": c.author.name or c.author.login,
                "email": c.author.email or f"{c.author.id}+{c.author.login}@users.noreply.github.com",
                "date": c.date}

    def commit(self, repo: Repo, c: Commit, files: list[dict] | None = None) -> dict:
        u = self.repo_url(repo)
        out = {
            "sha": c.sha, "node_id": node_id("Commit", c.sha),
            "url": f"{u}/commits/{c.sha}", "html_url": f"{self.web}/{repo.full_name}/commit/{c.sha}",
            "comments_url": f"{u}/commits/{c.sha}/comments",
            "commit": {
                "author": self.git_user(c), "committer": self.git_user(c), "message": c.message,
                "tree": {"sha": c.tree_sha, "url": f"{u}/git/trees/{c.tree_sha}"},
                "url": f"{u}/git/commits/{c.sha}", "comment_count": 0,
                "verification": {"verified": False, "reason": "unsigned", "signature": None,
                                 "payload": None, "verified_at": None},
            },
            "author": self.user(c.author), "committer": self.user(c.author),
            "parents": [{"sha": p, "url": f"{u}/commits/{p}",
                         "html_url": f"{self.web}/{repo.full_name}/commit/{p}"} for p in c.parents],
        }
        if files is not None:
            adds = sum(f["additions"] for f in files)
            dels = sum(f["deletions"] for f in files)
            out["stats"] = {"total": adds + dels, "additions": adds, "deletions": dels}
            out["files"] = files
        return out

    def git_commit_short(self, repo: Repo, c: Commit) -> dict:
        """The `commit` object in a PUT contents response (git commit shape)."""
        u = self.repo_url(repo)
        return {
            "sha": c.sha, "node_id": node_id("Commit", c.sha), "url": f"{u}/git/commits/{c.sha}",
            "html_url": f"{self.web}/{repo.full_name}/commit/{c.sha}",
            "author": self.git_user(c), "committer": self.git_user(c), "message": c.message,
            "tree": {"sha": c.tree_sha, "url": f"{u}/git/trees/{c.tree_sha}"},
            "parents": [{"sha": p, "url": f"{u}/git/commits/{p}",
                         "html_url": f"{self.web}/{repo.full_name}/commit/{p}"} for p in c.parents],
            "verification": {"verified": False, "reason": "unsigned", "signature": None,
                             "payload": None, "verified_at": None},
        }

    def ref(self, repo: Repo, branch: str) -> dict:
        u, sha = self.repo_url(repo), repo.branches[branch]
        return {"ref": f"refs/heads/{branch}", "node_id": node_id("Ref", f"{repo.id}:{branch}"),
                "url": f"{u}/git/refs/heads/{branch}",
                "object": {"type": "commit", "sha": sha, "url": f"{u}/git/commits/{sha}"}}

    def branch(self, repo: Repo, branch: str) -> dict:
        u, sha = self.repo_url(repo), repo.branches[branch]
        return {"name": branch, "commit": self.commit(repo, repo.commits[sha]),
                "_links": {"self": f"{u}/branches/{q(branch)}",
                           "html": f"{self.web}/{repo.full_name}/tree/{branch}"},
                "protected": False, "protection": {"enabled": False, "required_status_checks": {
                    "enforcement_level": "off", "contexts": [], "checks": []}},
                "protection_url": f"{u}/branches/{q(branch)}/protection"}

    def content_links(self, repo: Repo, path: str, ref: str, sha: str, kind: str) -> dict:
        u = self.repo_url(repo)
        qp = urllib.parse.quote(path)
        self_url = f"{u}/contents/{qp}?ref={q(ref)}"
        git_url = f"{u}/git/{'trees' if kind == 'dir' else 'blobs'}/{sha}"
        html = f"{self.web}/{repo.full_name}/{'tree' if kind == 'dir' else 'blob'}/{ref}/{qp}"
        return {"url": self_url, "git_url": git_url, "html_url": html,
                "_links": {"self": self_url, "git": git_url, "html": html}}

    def content_item(self, repo: Repo, path: str, ref: str, entry: Entry | None,
                     dir_sha: str | None = None, listing: bool = False) -> dict:
        """One element of a directory listing, or the object for a file/symlink/submodule."""
        name = path.rpartition("/")[2]
        if entry is None:  # directory
            out = {"type": "dir", "size": 0, "name": name, "path": path, "sha": dir_sha,
                   "download_url": None, **self.content_links(repo, path, ref, dir_sha, "dir")}
            return out
        kind = {FILE: "file", EXECUTABLE: "file", SYMLINK: "symlink", SUBMODULE: "submodule"}[entry.mode]
        size = 0 if entry.mode == SUBMODULE else len(entry.content)
        download = None if entry.mode == SUBMODULE else \
            f"{self.api}/_raw/{repo.full_name}/{ref}/{urllib.parse.quote(path)}"
        out = {"type": kind, "size": size, "name": name, "path": path, "sha": entry.sha,
               "download_url": download, **self.content_links(repo, path, ref, entry.sha, kind)}
        if listing:
            if kind == "submodule":  # documented backwards-compatible quirk
                out["type"] = "file"
            return out
        if kind == "file":
            b64 = base64.b64encode(entry.content).decode()
            out["content"] = "\n".join(b64[i:i + 60] for i in range(0, len(b64), 60)) + "\n"
            out["encoding"] = "base64"
        elif kind == "symlink":
            out["target"] = entry.content.decode()
        elif kind == "submodule":
            out["submodule_git_url"] = self.sim._submodule_url(repo, ref, path)
        return out

    # -- issues, pulls -------------------------------------------------------
    def label(self, repo: Repo, name: str) -> dict:
        lab = repo.labels[name.lower()]
        return {"id": lab.id, "node_id": node_id("Label", lab.id),
                "url": f"{self.repo_url(repo)}/labels/{q(lab.name)}", "name": lab.name,
                "color": lab.color, "default": lab.default, "description": lab.description}

    def reactions(self, url: str, reactions: list) -> dict:
        counts = {k: 0 for k in ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket")}
        for r in reactions:
            counts[r.content] += 1
        return {"url": url, "total_count": len(reactions), **counts}

    def issue(self, repo: Repo, issue: Issue) -> dict:
        u = f"{self.repo_url(repo)}/issues/{issue.number}"
        kind = "pull" if issue.pull else "issues"
        out = {
            "id": issue.id, "node_id": node_id("Issue", issue.id), "url": u,
            "repository_url": self.repo_url(repo), "labels_url": f"{u}/labels{{/name}}",
            "comments_url": f"{u}/comments", "events_url": f"{u}/events",
            "html_url": f"{self.web}/{repo.full_name}/{kind}/{issue.number}",
            "number": issue.number, "state": issue.state, "state_reason": issue.state_reason,
            "title": issue.title, "body": issue.body, "user": self.user(issue.user),
            "labels": [self.label(repo, n) for n in issue.labels],
            "assignee": self.user(self.sim.users[issue.assignees[0]]) if issue.assignees else None,
            "assignees": [self.user(self.sim.users[a]) for a in issue.assignees],
            "milestone": None, "locked": issue.locked, "active_lock_reason": None,
            "comments": len(issue.comments), "closed_at": issue.closed_at,
            "created_at": issue.created_at, "updated_at": issue.updated_at, "closed_by": None,
            "author_association": self.sim._association(repo, issue.user),
            "reactions": self.reactions(f"{u}/reactions", []),
            "timeline_url": f"{u}/timeline", "performed_via_github_app": None,
        }
        if issue.pull:
            pu = f"{self.repo_url(repo)}/pulls/{issue.number}"
            out["pull_request"] = {"url": pu, "html_url": out["html_url"],
                                   "diff_url": out["html_url"] + ".diff",
                                   "patch_url": out["html_url"] + ".patch",
                                   "merged_at": issue.pull.merged_at}
            out["draft"] = issue.pull.draft
        return out

    def comment(self, repo: Repo, c) -> dict:
        u = f"{self.repo_url(repo)}/issues/comments/{c.id}"
        issue = repo.issues[c.issue_number]
        kind = "pull" if issue.pull else "issues"
        return {"id": c.id, "node_id": node_id("IssueComment", c.id), "url": u,
                "html_url": f"{self.web}/{repo.full_name}/{kind}/{c.issue_number}#issuecomment-{c.id}",
                "issue_url": f"{self.repo_url(repo)}/issues/{c.issue_number}",
                "body": c.body, "user": self.user(c.user),
                "created_at": c.created_at, "updated_at": c.updated_at,
                "author_association": self.sim._association(repo, c.user),
                "performed_via_github_app": None,
                "reactions": self.reactions(f"{u}/reactions", c.reactions)}

    def reaction(self, r) -> dict:
        return {"id": r.id, "node_id": node_id("Reaction", r.id), "user": self.user(r.user),
                "content": r.content, "created_at": r.created_at}

    def pull_end(self, repo: Repo, ref: str, sha: str) -> dict:
        return {"label": f"{repo.owner.login}:{ref}", "ref": ref, "sha": sha,
                "user": self.user(repo.owner), "repo": self.repo(repo, full=False)}

    def pull(self, repo: Repo, issue: Issue, full: bool = True, reading: bool = False) -> dict:
        pr = issue.pull
        assert pr is not None
        ru = self.repo_url(repo)
        u = f"{ru}/pulls/{issue.number}"
        html = f"{self.web}/{repo.full_name}/pull/{issue.number}"
        iu = f"{ru}/issues/{issue.number}"
        statuses = f"{ru}/statuses/{pr.head_sha}"
        base_sha = repo.branches.get(pr.base_ref, "")
        out = {
            "url": u, "id": pr.id, "node_id": node_id("PullRequest", pr.id), "html_url": html,
            "diff_url": html + ".diff", "patch_url": html + ".patch", "issue_url": iu,
            "commits_url": f"{u}/commits", "review_comments_url": f"{u}/comments",
            "review_comment_url": f"{ru}/pulls/comments{{/number}}", "comments_url": f"{iu}/comments",
            "statuses_url": statuses, "number": issue.number, "state": issue.state,
            "locked": issue.locked, "title": issue.title, "user": self.user(issue.user),
            "body": issue.body, "labels": [self.label(repo, n) for n in issue.labels],
            "milestone": None, "active_lock_reason": None, "created_at": issue.created_at,
            "updated_at": issue.updated_at, "closed_at": issue.closed_at, "merged_at": pr.merged_at,
            "merge_commit_sha": pr.merge_commit_sha,
            "assignee": self.user(self.sim.users[issue.assignees[0]]) if issue.assignees else None,
            "assignees": [self.user(self.sim.users[a]) for a in issue.assignees],
            "requested_reviewers": [self.user(self.sim.users[r]) for r in pr.requested_reviewers],
            "requested_teams": [], "head": self.pull_end(repo, pr.head_ref, pr.head_sha),
            "base": self.pull_end(repo, pr.base_ref, base_sha),
            "_links": {k: {"href": v} for k, v in {
                "self": u, "html": html, "issue": iu, "comments": f"{iu}/comments",
                "review_comments": f"{u}/comments", "review_comment": f"{ru}/pulls/comments{{/number}}",
                "commits": f"{u}/commits", "statuses": statuses}.items()},
            "author_association": self.sim._association(repo, issue.user), "auto_merge": None,
            "draft": pr.draft,
        }
        if full:
            mergeable = self.sim._mergeable(repo, issue, reading)
            files = self.sim._pull_files(repo, issue)
            out.update({
                "merged": pr.merged, "mergeable": mergeable,
                "rebaseable": mergeable, "mergeable_state": self.sim._mergeable_state(repo, issue, reading),
                "merged_by": self.user(pr.merged_by), "comments": len(issue.comments),
                "review_comments": 0, "maintainer_can_modify": pr.maintainer_can_modify,
                "commits": len(self.sim._pull_commit_shas(repo, issue)),
                "additions": sum(f["additions"] for f in files),
                "deletions": sum(f["deletions"] for f in files), "changed_files": len(files),
            })
        return out

    def review(self, repo: Repo, issue: Issue, r) -> dict:
        pu = f"{self.repo_url(repo)}/pulls/{issue.number}"
        html = f"{self.web}/{repo.full_name}/pull/{issue.number}#pullrequestreview-{r.id}"
        return {"id": r.id, "node_id": node_id("PullRequestReview", r.id), "user": self.user(r.user),
                "body": r.body, "state": r.state, "html_url": html, "pull_request_url": pu,
                "_links": {"html": {"href": html}, "pull_request": {"href": pu}},
                "submitted_at": r.submitted_at, "commit_id": r.commit_id,
                "author_association": self.sim._association(repo, r.user)}

    def status(self, repo: Repo, s) -> dict:
        return {"url": f"{self.repo_url(repo)}/statuses/{s.sha}", "avatar_url": None, "id": s.id,
                "node_id": node_id("StatusContext", s.id), "state": s.state,
                "description": s.description, "target_url": s.target_url, "context": s.context,
                "created_at": s.created_at, "updated_at": s.updated_at, "creator": self.user(s.creator)}

    def minimal_repo(self, repo: Repo) -> dict:
        return self.repo(repo, full=False)

    def check_run(self, repo: Repo, cr) -> dict:
        u = f"{self.repo_url(repo)}/check-runs/{cr.id}"
        output = {"title": None, "summary": None, "text": None, "annotations_count": 0,
                  "annotations_url": f"{u}/annotations"}
        output.update({k: cr.output.get(k) for k in ("title", "summary", "text") if k in cr.output})
        return {"id": cr.id, "node_id": node_id("CheckRun", cr.id), "head_sha": cr.head_sha,
                "external_id": cr.external_id, "url": u,
                "html_url": f"{self.web}/{repo.full_name}/runs/{cr.id}", "details_url": cr.details_url,
                "status": cr.status, "conclusion": cr.conclusion, "started_at": cr.started_at,
                "completed_at": cr.completed_at, "output": output, "name": cr.name,
                "check_suite": {"id": cr.id}, "app": None, "pull_requests": []}
