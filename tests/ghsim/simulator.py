"""The simulator's state and the Python API tests use to act as people.

Everything that changes state goes through `Simulator` under one lock, whether
it comes from a test (`sim.push`, `sim.review`, ...) or over HTTP from the bot.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import itertools
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import model as m
from .model import Comment, Commit, Entry, Issue, Label, Pull, Repo, Review, User
from .render import Renderer

ACTOR = "github-actions[bot]"
_START = _dt.datetime(2024, 1, 1, tzinfo=_dt.timezone.utc)


@dataclass
class LogEntry:
    method: str
    path: str
    query: dict[str, list[str]]
    status: int = 0
    write: bool = False
    template: str | None = None  # OpenAPI path template, when one matched
    routed: bool = False          # a simulator handler served it
    fault: str | None = None      # name of the injected fault, if any
    token: str | None = None      # the Authorization token the client sent
    request_body: Any = None
    response_body: Any = None
    violations: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        extra = f" [fault={self.fault}]" if self.fault else ""
        return f"{self.method} {self.path} -> {self.status}{extra}"


class Simulator:
    def __init__(self, *, validator=None, actor: str = ACTOR, strict_routes: bool = True,
                 allow: Iterable = ()):
        from .faults import FaultSet
        self.lock = threading.RLock()
        self.validator = validator          # openapi.OpenAPIValidator or None
        self.strict_routes = strict_routes  # an unrouted request is a violation
        self.allow = list(allow)            # extra deviations allowed for this test
        self.users: dict[str, User] = {}
        self.repos: dict[str, Repo] = {}
        self._ids = itertools.count(1001)
        self._ticks = itertools.count(1)
        self._seq = itertools.count(1)
        self.log: list[LogEntry] = []
        self.violations: list[str] = []
        self.allowed: list[str] = []        # violations excused by the allow-list
        self.faults = FaultSet()
        self.render = Renderer(self)
        self._comments: dict[str, dict[int, Comment]] = {}   # repo full name -> id -> comment
        self._workflow_ids: dict[tuple[str, str], int] = {}
        self.actor = self.user(actor, type="Bot")   # who an unknown token acts as
        self.tokens: dict[str, str] = {}            # token -> login, see add_token
        # After a push to a PR's head or base, GitHub reports `mergeable: null` while it
        # recomputes; this many GET .../pulls/{n} reads see null before the real value.
        self.mergeable_lag = 0
        self.base_url = ""
        self._server = None

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> "Simulator":
        from .server import serve
        self._server, self.base_url = serve(self)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- small helpers ---------------------------------------------------------
    def now(self) -> str:
        """A deterministic clock: every event is one second after the previous one."""
        return m.now_iso(_START + _dt.timedelta(seconds=next(self._ticks)))

    def new_id(self) -> int:
        return next(self._ids)

    def user(self, login: str | User, type: str = "User") -> User:
        if isinstance(login, User):
            return login
        with self.lock:
            if login not in self.users:
                kind = "Bot" if login.endswith("[bot]") else type
                self.users[login] = User(login=login, id=self.new_id(), type=kind)
            return self.users[login]

    def add_token(self, token: str, login: str, type: str = "User") -> None:
        """Requests with this token act as `login` (default: every token is `actor`)."""
        with self.lock:
            self.tokens[token] = self.user(login, type=type).login

    def actor_for(self, token: str | None) -> User:
        login = self.tokens.get(token or "")
        return self.users[login] if login else self.actor

    def repo(self, repo: str | Repo) -> Repo:
        return repo if isinstance(repo, Repo) else self.repos[repo]

    def _association(self, repo: Repo, user: User) -> str:
        if user.login == repo.owner.login:
            return "OWNER"
        if user.login in repo.collaborators:
            return "COLLABORATOR"
        tip = repo.branches.get(repo.default_branch)
        if tip and any(repo.commits[s].author.login == user.login for s in repo.ancestors(tip)):
            return "CONTRIBUTOR"
        return "NONE"

    def add_collaborator(self, repo, login: str) -> None:
        with self.lock:
            self.user(login)
            self.repo(repo).collaborators.add(login)

    # -- set-up: repositories and git ------------------------------------------
    def create_repo(self, full_name: str, files: dict | None = None, *, default_branch: str = "main",
                    private: bool = False, labels: Iterable = (), collaborators: Iterable[str] = (),
                    owner_type: str = "Organization") -> Repo:
        owner_login, name = full_name.split("/")
        with self.lock:
            repo = Repo(id=self.new_id(), owner=self.user(owner_login, type=owner_type), name=name,
                        default_branch=default_branch, created_at=self.now(), private=private,
                        collaborators=set(collaborators))
            self.repos[full_name] = repo
            self._comments[full_name] = {}
            sha = self._commit(repo, [], _tree({}, files or {}), "Initial commit", repo.owner)
            repo.branches[default_branch] = sha
            for lab in labels:
                if isinstance(lab, str):
                    lab = {"name": lab}
                self.create_label(repo, **lab)
            return repo

    def create_label(self, repo, name: str, color: str = "ededed", description: str | None = None) -> Label:
        repo = self.repo(repo)
        with self.lock:
            lab = Label(id=self.new_id(), name=name, color=color, description=description)
            repo.labels[name.lower()] = lab
            return lab

    def _commit(self, repo: Repo, parents: list[str], tree: dict[str, Entry], message: str,
                author: User) -> str:
        date = self.now()
        h = hashlib.sha1(f"{m.tree_objects(tree)[0]}|{parents}|{author.login}|{date}|{message}|"
                         f"{next(self._seq)}".encode()).hexdigest()
        repo.commits[h] = Commit(sha=h, parents=list(parents), tree=tree, message=message,
                                 author=author, date=date)
        repo.pushed_at = date
        return h

    def push(self, repo, branch: str, files_changed: dict | None = None, deleted: Iterable[str] = (),
             *, author: str | User | None = None, message: str | None = None,
             from_branch: str | None = None) -> str:
        """Commit on `branch` (created from `from_branch`/default if new); returns the sha.

        Values in files_changed: str/bytes (regular file), or (content, mode) with
        mode "100644" | "100755" | "120000" (symlink: content is the target) |
        "160000" (submodule: content is the commit sha)."""
        repo = self.repo(repo)
        with self.lock:
            if branch in repo.branches:
                parent = repo.branches[branch]
            else:
                parent = repo.branches[from_branch or repo.default_branch]
            old = repo.commits[parent].tree
            tree = _tree(old, files_changed or {}, deleted)
            who = self.user(author) if author else repo.owner
            sha = self._commit(repo, [parent], tree, message or f"Update {branch}", who)
            self._move_branch(repo, branch, sha)
            return sha

    def _move_branch(self, repo: Repo, branch: str, sha: str) -> None:
        repo.branches[branch] = sha
        for issue in repo.issues.values():
            pr = issue.pull
            if pr and issue.state == "open" and branch in (pr.head_ref, pr.base_ref):
                pr.mergeable_pending = self.mergeable_lag
                if pr.head_ref == branch:
                    pr.head_sha = sha  # "synchronize"
                    issue.updated_at = self.now()

    def branch_sha(self, repo, branch: str) -> str:
        return self.repo(repo).branches[branch]

    def file(self, repo, ref: str, path: str) -> bytes | None:
        repo = self.repo(repo)
        sha = repo.resolve(ref)
        entry = repo.commits[sha].tree.get(path) if sha else None
        return entry.content if entry else None

    def _submodule_url(self, repo: Repo, ref: str, path: str) -> str:
        sha = repo.resolve(ref)
        gm = repo.commits[sha].tree.get(".gitmodules") if sha else None
        if gm is not None:
            current = None
            for line in gm.content.decode(errors="replace").splitlines():
                line = line.strip()
                if line.startswith("path"):
                    current = line.split("=", 1)[1].strip()
                elif line.startswith("url") and current == path:
                    return line.split("=", 1)[1].strip()
        return f"{self.base_url}/_git/unknown-submodule.git"

    # -- set-up: people acting on issues and pull requests -------------------------
    def open_issue(self, repo, user: str, title: str, body: str | None = None,
                   labels: Iterable[str] = ()) -> int:
        repo = self.repo(repo)
        with self.lock:
            number = len(repo.issues) + 1
            t = self.now()
            repo.issues[number] = Issue(number=number, id=self.new_id(), title=title, body=body,
                                        user=self.user(user), created_at=t, updated_at=t)
            for name in labels:
                self._add_label(repo, repo.issues[number], name)
            return number

    def edit_issue(self, repo, number: int, *, title: str | None = None, body: str | None = None,
                   state: str | None = None, labels: Iterable[str] | None = None,
                   state_reason: str | None = None) -> Issue:
        repo = self.repo(repo)
        with self.lock:
            issue = repo.issues[number]
            if title is not None:
                issue.title = title
            if body is not None:
                issue.body = body
            if labels is not None:
                issue.labels = []
                for name in labels:
                    self._add_label(repo, issue, name)
            if state is not None and state != issue.state:
                issue.state = state
                issue.closed_at = self.now() if state == "closed" else None
                issue.state_reason = state_reason or ("completed" if state == "closed" else "reopened")
            issue.updated_at = self.now()
            return issue

    def open_pull(self, repo, head: str, base: str | None = None, user: str = "contributor",
                  title: str = "A pull request", body: str | None = None, draft: bool = False) -> int:
        repo = self.repo(repo)
        with self.lock:
            number = self.open_issue(repo, user, title, body)
            issue = repo.issues[number]
            issue.pull = Pull(number=number, id=self.new_id(), head_ref=head,
                              head_sha=repo.branches[head], base_ref=base or repo.default_branch,
                              draft=draft, mergeable_pending=self.mergeable_lag)
            return number

    def review(self, repo, number: int, user: str, state: str = "APPROVED",
               commit_id: str | None = None, body: str = "") -> int:
        repo = self.repo(repo)
        state = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED",
                 "COMMENT": "COMMENTED"}.get(state, state)
        assert state in ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "PENDING"), state
        with self.lock:
            issue = repo.issues[number]
            pr = issue.pull
            who = self.user(user)
            r = Review(id=self.new_id(), user=who, state=state, commit_id=commit_id or pr.head_sha,
                       body=body, submitted_at=self.now())
            pr.reviews.append(r)
            if who.login in pr.requested_reviewers:  # a review fulfils the request
                pr.requested_reviewers.remove(who.login)
            issue.updated_at = self.now()
            return r.id

    def dismiss_review(self, repo, number: int, review_id: int, message: str = "dismissed") -> None:
        repo = self.repo(repo)
        with self.lock:
            for r in repo.issues[number].pull.reviews:
                if r.id == review_id:
                    r.state = "DISMISSED"
                    return
        raise KeyError(review_id)

    def request_reviewers(self, repo, number: int, logins: Iterable[str]) -> None:
        repo = self.repo(repo)
        with self.lock:
            pr = repo.issues[number].pull
            for login in logins:
                self.user(login)
                if login not in pr.requested_reviewers:
                    pr.requested_reviewers.append(login)

    def comment(self, repo, number: int, user: str, body: str) -> int:
        repo = self.repo(repo)
        with self.lock:
            issue = repo.issues[number]
            t = self.now()
            c = Comment(id=self.new_id(), issue_number=number, user=self.user(user), body=body,
                        created_at=t, updated_at=t)
            self._comments[repo.full_name][c.id] = c
            issue.comments.append(c.id)
            issue.updated_at = t
            return c.id

    def set_mergeable(self, repo, number: int, value: bool | None | str) -> None:
        """Force `mergeable` (True/False/None = GitHub still computing); "auto" computes it."""
        with self.lock:
            self.repo(repo).issues[number].pull.mergeable_override = value

    def set_draft(self, repo, number: int, draft: bool) -> None:
        with self.lock:
            self.repo(repo).issues[number].pull.draft = draft

    # -- read access for assertions -------------------------------------------
    def issue(self, repo, number: int) -> Issue:
        return self.repo(repo).issues[number]

    def pull(self, repo, number: int) -> Pull:
        return self.repo(repo).issues[number].pull

    def labels(self, repo, number: int) -> list[str]:
        return list(self.repo(repo).issues[number].labels)

    def comments(self, repo, number: int) -> list[Comment]:
        repo = self.repo(repo)
        return [self._comments[repo.full_name][i] for i in repo.issues[number].comments]

    def statuses(self, repo, sha: str) -> list:
        return [s for s in self.repo(repo).statuses if s.sha == sha]

    def check_runs(self, repo, sha: str | None = None) -> list:
        return [c for c in self.repo(repo).check_runs if sha is None or c.head_sha == sha]

    def dispatches(self, repo) -> list:
        return list(self.repo(repo).dispatches)

    def requests(self, method: str | None = None, path: str | None = None) -> list[LogEntry]:
        """Logged requests, optionally filtered by method and a regex searched in the path."""
        with self.lock:
            return [e for e in self.log if (method is None or e.method == method.upper())
                    and (path is None or re.search(path, e.path))]

    def writes(self) -> list[LogEntry]:
        return [e for e in self.requests() if e.write]

    def unrouted(self) -> list[LogEntry]:
        return [e for e in self.requests() if not e.routed and not e.fault]

    def reset_log(self) -> None:
        with self.lock:
            self.log.clear()

    def inject(self, method: str, path_regex: str, status: int | None = None, *,
               kind: str | None = None, times: int | None = 1, **options):
        """Make matching requests fail; see faults.Fault for kinds and options."""
        return self.faults.add(method, path_regex, status=status, kind=kind, times=times, **options)

    # -- pull request computations (used by routes and rendering) -----------------
    def _pull_commit_shas(self, repo: Repo, issue: Issue) -> list[str]:
        pr = issue.pull
        base_tip = repo.branches.get(pr.base_ref)
        in_base = set(repo.ancestors(base_tip)) if base_tip else set()
        mb = repo.merge_base(pr.head_sha, base_tip) if base_tip else None
        if pr.merged and pr.merge_commit_sha:
            # After a squash the PR's commits are still those between fork point and head.
            in_base = set(repo.ancestors(mb)) if mb else set()
        return [s for s in reversed(repo.ancestors(pr.head_sha)) if s not in in_base]

    def _pull_base_tree_sha(self, repo: Repo, issue: Issue) -> str | None:
        pr = issue.pull
        commits = self._pull_commit_shas(repo, issue)
        if commits:
            parents = repo.commits[commits[0]].parents
            return parents[0] if parents else None
        return pr.head_sha

    def _pull_files(self, repo: Repo, issue: Issue) -> list[dict]:
        pr = issue.pull
        base_sha = self._pull_base_tree_sha(repo, issue)
        old = repo.commits[base_sha].tree if base_sha else {}
        return self._diff_entries(repo, old, repo.commits[pr.head_sha].tree, pr.head_sha)

    def _diff_entries(self, repo: Repo, old: dict, new: dict, ref: str) -> list[dict]:
        changes = m.diff_trees(old, new)
        added = {p for p, e in changes.items() if e is not None and p not in old}
        removed = {p for p, e in changes.items() if e is None}
        renames = {}
        for p in sorted(added):
            for r in sorted(removed):
                if old[r].content == new[p].content and old[r].mode == new[p].mode:
                    renames[p] = r
                    removed.discard(r)
                    break
        out = []
        for path in sorted(changes):
            if changes[path] is None and path in renames.values():
                continue  # reported once, as the rename's previous_filename
            before = old.get(renames.get(path, path))
            after = new.get(path)
            a = before.content.decode("utf-8", "replace").splitlines() if before else []
            b = after.content.decode("utf-8", "replace").splitlines() if after else []
            if path in renames:
                status = "renamed"
            elif before is None:
                status = "added"
            elif after is None:
                status = "removed"
            else:
                status = "modified"
            diff = list(difflib.unified_diff(a, b, lineterm="", n=3))[2:]
            adds = sum(1 for line in diff if line.startswith("+"))
            dels = sum(1 for line in diff if line.startswith("-"))
            u = self.render.repo_url(repo)
            entry = {
                "sha": after.sha if after else before.sha, "filename": path, "status": status,
                "additions": adds, "deletions": dels, "changes": adds + dels,
                "blob_url": f"{self.render.web}/{repo.full_name}/blob/{ref}/{path}",
                "raw_url": f"{self.render.web}/{repo.full_name}/raw/{ref}/{path}",
                "contents_url": f"{u}/contents/{path}?ref={ref}",
            }
            if diff:
                entry["patch"] = "\n".join(diff)
            if path in renames:
                entry["previous_filename"] = renames[path]
            out.append(entry)
        return out

    def _conflicts(self, repo: Repo, issue: Issue) -> bool:
        pr = issue.pull
        base_tip = repo.branches[pr.base_ref]
        mb = repo.merge_base(pr.head_sha, base_tip)
        start = repo.commits[mb].tree if mb else {}
        ours = m.diff_trees(start, repo.commits[base_tip].tree)
        theirs = m.diff_trees(start, repo.commits[pr.head_sha].tree)
        for path in ours.keys() & theirs.keys():
            a, b = ours[path], theirs[path]
            if (a is None) != (b is None) or (a and b and (a.content, a.mode) != (b.content, b.mode)):
                return True
        return False

    def _mergeable(self, repo: Repo, issue: Issue, reading: bool = False) -> bool | None:
        pr = issue.pull
        if reading and pr.mergeable_pending > 0:
            return None
        if pr.mergeable_override != "auto":
            return pr.mergeable_override
        if pr.merged:
            return None
        return not self._conflicts(repo, issue)

    def _mergeable_state(self, repo: Repo, issue: Issue, reading: bool = False) -> str:
        if issue.pull.draft:
            return "draft"
        mergeable = self._mergeable(repo, issue, reading)
        if issue.pull.merged or mergeable is None:
            return "unknown"
        return "clean" if mergeable else "dirty"

    def _merge(self, repo: Repo, issue: Issue, method: str, title: str | None, message: str | None,
               by: User) -> str:
        """Perform the merge (checks done by the caller); returns the new base tip."""
        pr = issue.pull
        base_tip = repo.branches[pr.base_ref]
        mb = repo.merge_base(pr.head_sha, base_tip)
        start = repo.commits[mb].tree if mb else {}
        commits = self._pull_commit_shas(repo, issue)
        if method == "rebase":
            sha = base_tip
            for c in commits:
                commit = repo.commits[c]
                parent_tree = repo.commits[commit.parents[0]].tree if commit.parents else {}
                tree = _apply(repo.commits[sha].tree, m.diff_trees(parent_tree, commit.tree))
                sha = self._commit(repo, [sha], tree, commit.message, commit.author)
        else:
            tree = _apply(repo.commits[base_tip].tree, m.diff_trees(start, repo.commits[pr.head_sha].tree))
            if method == "squash":
                head = title or f"{issue.title} (#{issue.number})"
                body = message if message is not None else "\n\n".join(
                    f"* {repo.commits[c].message}" for c in commits)
                parents = [base_tip]
            else:
                head = title or f"Merge pull request #{issue.number} from {repo.owner.login}/{pr.head_ref}"
                body = message if message is not None else issue.title
                parents = [base_tip, pr.head_sha]
            sha = self._commit(repo, parents, tree, f"{head}\n\n{body}".rstrip(), by)
        repo.branches[pr.base_ref] = sha
        t = self.now()
        pr.merged, pr.merged_at, pr.merged_by, pr.merge_commit_sha = True, t, by, sha
        issue.state, issue.closed_at, issue.updated_at = "closed", t, t
        return sha

    def _add_label(self, repo: Repo, issue: Issue, name: str) -> None:
        if name.lower() not in repo.labels:  # GitHub creates unknown labels on the fly
            self.create_label(repo, name)
        canonical = repo.labels[name.lower()].name
        if canonical not in issue.labels:
            issue.labels.append(canonical)


def _entry(value: Any) -> Entry:
    if isinstance(value, Entry):
        return value
    if isinstance(value, tuple):
        content, mode = value
        assert mode in m.MODES, mode
        return Entry(content.encode() if isinstance(content, str) else content, mode)
    return Entry(value.encode() if isinstance(value, str) else bytes(value))


def _tree(old: dict[str, Entry], changes: dict, deleted: Iterable[str] = ()) -> dict[str, Entry]:
    tree = dict(old)
    for path, value in changes.items():
        tree[path.strip("/")] = _entry(value)
    for path in deleted:
        tree.pop(path, None)
    return tree


def _apply(tree: dict[str, Entry], changes: dict[str, Entry | None]) -> dict[str, Entry]:
    out = dict(tree)
    for path, entry in changes.items():
        if entry is None:
            out.pop(path, None)
        else:
            out[path] = entry
    return out
