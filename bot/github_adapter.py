"""The one module that talks to GitHub (through PyGithub).

It fetches the state the policy needs and applies the actions the policy
returns; nothing else imports PyGithub.

Request economy: a re-run on an unchanged pull request that changes k
entries costs 5 + k requests (pull request, files, reviews, comments, head
commit, and one content read per entry) and no writes. The default branch's
registry comes from the local checkout. Lists use per_page=100.

Faults: PyGithub's own retries are turned off (it would retry a failed POST
ten times with no backoff and sleep a minute on a secondary rate limit).
Reads and idempotent writes are retried here, with backoff, honouring
Retry-After and x-ratelimit-reset; the sleep is injectable. A merge is never
retried blindly: after a failure the adapter looks whether it merged. 409
("head changed") and 405 ("not mergeable") stop the run; the next run
re-evaluates.
"""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import dataclass, field

import requests
from github import Auth, Github, GithubException

from bot.governance import LABEL_STYLE, Governance
from bot.policy import actions as A
from bot.policy.memory import MARKER, Memory
from bot.policy.state import ChangedFile, Comment, PullRequestState, Review, Status, User

PER_PAGE = 100
DEFAULT_API = "https://api.github.com"


class AdapterError(Exception):
    """The bot could not do its job (GitHub refused or kept failing)."""


class StopRun(Exception):
    """A reason to stop and re-evaluate on the next run (head changed, not
    mergeable): not a failure."""


class _Counter(logging.Handler):
    """Counts the requests PyGithub makes (it logs one record per response)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0
        self.writes = 0

    def emit(self, record):
        self.count += 1
        verb = record.args[0] if isinstance(record.args, tuple) and record.args else ""
        if verb in ("POST", "PATCH", "PUT", "DELETE"):
            self.writes += 1


@dataclass
class Handles:
    """PyGithub objects fetched with the state, reused to apply actions."""

    pull: object = None
    commit: object = None
    comments: dict = field(default_factory=dict)


def _retry_delay(exc, attempt: int, now: float) -> float | None:
    """Seconds to wait before retrying, or None if the error is final."""
    status = getattr(exc, "status", None)
    headers = {k.lower(): v for k, v in (getattr(exc, "headers", None) or {}).items()}
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return min(2**attempt, 30)
    if status is None:
        return None
    if "retry-after" in headers:
        try:
            return max(float(headers["retry-after"]), 1.0)
        except ValueError:
            return 60.0
    rate_limited = status == 429 or (
        status == 403
        and (headers.get("x-ratelimit-remaining") == "0" or "rate limit" in str(getattr(exc, "data", "")).lower())
    )
    if rate_limited:
        reset = headers.get("x-ratelimit-reset")
        if reset:
            try:
                return max(float(reset) - now, 1.0)
            except ValueError:
                pass
        return 60.0 * (attempt + 1)
    if status >= 500:
        return min(2**attempt, 30)
    return None


class IntakeMixin:
    """GitHub calls for the intake of issue forms (``bot.intake``): read the
    issue, answer in it (one reply, edited in place), write the entry on the
    bot's branch, and open, update or close the bot's pull request."""

    def read_issue(self, number: int):
        from bot.intake.flow import IssueInfo

        issue = self.call("read the issue", lambda: _loaded(self.repo.get_issue(number)))
        return IssueInfo(
            number=issue.number,
            title=issue.title or "",
            body=issue.body or "",
            author=User(issue.user.login, issue.user.id) if issue.user else User("ghost"),
            state=issue.state,
            labels=tuple(label.name for label in issue.labels),
            is_pull=issue.pull_request is not None,
            created_at=_iso(issue.created_at),
        )

    def upsert_intake_reply(self, number: int, body: str) -> str:
        """The bot's one reply in the issue: created once, then edited in
        place; only a comment with the marker AND the bot's login counts."""
        from bot.intake.flow import REPLY_MARKER

        issue = self.call("read the issue", lambda: _loaded(self.repo.get_issue(number)))
        comments = self.call("list the issue's comments", lambda: list(issue.get_comments()))
        mine = [c for c in comments if c.user and self.governance.is_bot(c.user.login) and REPLY_MARKER in (c.body or "")]
        if mine:
            if (mine[0].body or "") == body:
                return "unchanged"
            self.call("edit the bot's reply", mine[0].edit, body)
            return "edited"
        try:
            issue.create_comment(body)
        except (GithubException, requests.exceptions.RequestException) as exc:
            # not idempotent: look before trying again
            delay = _retry_delay(exc, 0, self.clock())
            if delay is None:
                raise AdapterError(f"answer in the issue: {_describe(exc)}") from exc
            self.sleep(delay)
            comments = self.call("list the issue's comments", lambda: list(issue.get_comments()))
            if not any(c.user and self.governance.is_bot(c.user.login) and REPLY_MARKER in (c.body or "") for c in comments):
                self.call("answer in the issue", issue.create_comment, body)
        return "created"

    def default_branch_name(self) -> str:
        repo = self.call("read the repository", lambda: _loaded(self.repo))
        return repo.default_branch

    def find_intake_pull(self, branch: str):
        """The bot's own pull request from ``branch`` (open first, else the
        latest), or None. Pull requests by anyone else are ignored."""
        from bot.intake.flow import PullInfo

        owner = self.repo_name.split("/")[0]
        pulls = self.call(
            "find the intake pull request",
            lambda: [p for p in self.repo.get_pulls(state="all", head=f"{owner}:{branch}") if p.head.ref == branch],
        )
        pulls = [p for p in pulls if p.user and self.governance.is_bot(p.user.login)]
        if not pulls:
            return None
        pulls.sort(key=lambda p: (p.state == "open", p.number), reverse=True)
        p = pulls[0]
        return PullInfo(
            number=p.number,
            state=p.state,
            merged=bool(p.merged_at),
            head_ref=p.head.ref,
            head_repo=p.head.repo.full_name if p.head.repo else None,
            author=p.user.login,
            title=p.title or "",
            body=p.body or "",
        )

    def branch_tip(self, branch: str) -> str | None:
        try:
            ref = self.call(f"read the branch {branch}", lambda: _loaded(self.repo.get_git_ref(f"heads/{branch}")))
        except AdapterError as exc:
            if isinstance(exc.__cause__, GithubException) and exc.__cause__.status == 404:
                return None
            raise
        return ref.object.sha

    def _file_item(self, path: str, ref: str):
        try:
            item = self.call(f"read {path}", self.repo.get_contents, path, ref=ref)
        except AdapterError as exc:
            if isinstance(exc.__cause__, GithubException) and exc.__cause__.status == 404:
                return None
            raise
        if isinstance(item, list) or item.type != "file" or item.path != path:
            return None
        return item

    def file_on_branch(self, path: str, branch: str) -> bytes | None:
        item = self._file_item(path, branch)
        if item is None or item.encoding != "base64" or item.content is None:
            return None
        return base64.b64decode(item.content)

    def _entry_blobs(self, ref: str) -> dict[str, str]:
        tree = self.call("read a tree", self.repo.get_git_tree, ref, recursive=True)
        return {t.path: t.sha for t in tree.tree if t.type == "blob" and self.governance.is_entry_path(t.path)}

    def write_intake_entry(self, branch: str, base: str, path: str, content: bytes, message: str) -> None:
        """Commit ``content`` at ``path`` on the bot's branch (created from
        ``base`` if missing), and put back any other entry an earlier
        version of the form had written there (a changed identifier)."""
        tip = self.branch_tip(branch)
        if tip is None:
            base_sha = self.default_branch_tip(base)
            try:
                self.call("create the bot's branch", self.repo.create_git_ref, f"refs/heads/{branch}", base_sha)
            except AdapterError as exc:
                if not (isinstance(exc.__cause__, GithubException) and exc.__cause__.status == 422):
                    raise  # 422: it exists already (an earlier, interrupted run)
        item = self._file_item(path, branch)
        if item is None:
            self.call(f"write {path}", self.repo.create_file, path, message, content, branch=branch)
        elif base64.b64decode(item.content or "") != content:
            self.call(f"write {path}", self.repo.update_file, path, message, content, item.sha, branch=branch)
        if tip is None:
            return
        published = self._entry_blobs(base)
        for other, sha in self._entry_blobs(branch).items():
            if other == path or published.get(other) == sha:
                continue
            stale = self._file_item(other, branch)
            if stale is None:
                continue
            original = self._file_item(other, base)
            if original is None:
                self.call(f"remove {other}", self.repo.delete_file, other, f"Remove {other}: the form no longer proposes it", stale.sha, branch=branch)
            else:
                self.call(f"restore {other}", self.repo.update_file, other, f"Restore {other}: the form no longer changes it",
                          base64.b64decode(original.content), stale.sha, branch=branch)

    def open_intake_pull(self, title: str, body: str, head: str, base: str) -> int:
        try:
            pull = self.repo.create_pull(base=base, head=head, title=title, body=body, maintainer_can_modify=False)
        except (GithubException, requests.exceptions.RequestException) as exc:
            # Not idempotent: the pull request may exist after a failure.
            found = self.find_intake_pull(head)
            if found is not None and found.state == "open":
                return found.number
            raise AdapterError(f"open the pull request: {_describe(exc)}") from exc
        return pull.number

    def edit_intake_pull(self, number: int, *, title: str | None = None, body: str | None = None, state: str | None = None) -> None:
        pull = self.call("read the pull request", lambda: _loaded(self.repo.get_pull(number)))
        changes = {}
        if title is not None and title != pull.title:
            changes["title"] = title
        if body is not None and body != (pull.body or ""):
            changes["body"] = body
        if state is not None and state != pull.state:
            changes["state"] = state
        if changes:
            self.call("update the pull request", pull.edit, **changes)


class GitHubAdapter(IntakeMixin):
    def __init__(
        self,
        repo: str,
        token: str,
        governance: Governance,
        *,
        api_url: str = DEFAULT_API,
        sleep=time.sleep,
        clock=time.time,
        attempts: int = 5,
        max_wait: float = 900.0,
        throttle: bool = True,
        timeout: int = 30,
    ):
        self.repo_name = repo
        self.governance = governance
        self.sleep = sleep
        self.clock = clock
        self.attempts = attempts
        self.max_wait = max_wait
        self.counter = _Counter()
        logger = logging.getLogger("github.Requester")
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        for handler in list(logger.handlers):
            if isinstance(handler, _Counter):
                logger.removeHandler(handler)
        logger.addHandler(self.counter)
        kwargs = {} if throttle else {"seconds_between_requests": None, "seconds_between_writes": None}
        self.gh = Github(
            base_url=api_url.rstrip("/"),
            auth=Auth.Token(token),
            retry=None,
            timeout=timeout,
            per_page=PER_PAGE,
            lazy=True,  # objects are fetched when first used, never twice
            **kwargs,
        )
        self.repo = self.gh.get_repo(repo)

    # -- plumbing -----------------------------------------------------------

    @property
    def requests(self) -> int:
        return self.counter.count

    @property
    def writes(self) -> int:
        return self.counter.writes

    def call(self, what: str, fn, *args, **kwargs):
        """Run one GitHub operation, retrying transient failures."""
        waited = 0.0
        for attempt in range(self.attempts):
            try:
                return fn(*args, **kwargs)
            except (GithubException, requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                delay = _retry_delay(exc, attempt, self.clock())
                if delay is None or attempt == self.attempts - 1 or waited + delay > self.max_wait:
                    raise AdapterError(f"{what}: {_describe(exc)}") from exc
                waited += delay
                self.sleep(delay)
        raise AdapterError(f"{what}: gave up")  # pragma: no cover

    # -- reading ------------------------------------------------------------

    def fetch_state(self, number: int, registry: dict[str, bytes], registry_sha: str, *, proposer: User | None = None):
        pull = self.call("read the pull request", lambda: _loaded(self.repo.get_pull(number)))
        head_sha = pull.head.sha
        files_list = self.call("list the changed files", lambda: list(pull.get_files()))
        reviews = self.call("list the reviews", lambda: list(pull.get_reviews()))
        comments = self.call("list the comments", lambda: list(pull.get_issue_comments()))
        commit = self.call("read the head commit", lambda: _loaded(self.repo.get_commit(head_sha)))
        committed = commit.commit.committer.date
        files = []
        for item in files_list:
            path = item.filename
            previous = getattr(item, "previous_filename", None)
            touches_entry = self.governance.is_entry_path(path) or (previous and self.governance.is_entry_path(previous))
            content, mode = None, "100644"
            if item.status != "removed" and self.governance.is_entry_path(path):
                content, mode = self._read_entry(path, head_sha)
            base = registry.get(previous or path) if touches_entry else None
            files.append(ChangedFile(path, item.status, content, base, previous, mode))
        handles = Handles(pull, commit, {c.id: c for c in comments})
        state_comments = tuple(
            Comment(c.id, User(c.user.login, c.user.id), c.body or "", _iso(c.created_at)) for c in comments
        )
        memory = Memory()
        for c in state_comments:
            if self.governance.is_bot(c.user.login) and MARKER in c.body:
                memory = Memory.decode(c.body)
                break
        status = None
        if memory.sha == head_sha and memory.status:
            status = Status(memory.status[0], memory.status[1])
        if proposer is None:
            # An intake pull request (opened by the bot from a form): the
            # issue's author is the proposer, if the marker is the bot's own.
            from bot.intake.flow import trusted_proposer

            proposer = trusted_proposer(
                pull.user.login if pull.user else None,
                pull.head.ref,
                pull.head.repo.full_name if pull.head.repo else None,
                pull.body,
                repo=self.repo_name,
                is_bot=self.governance.is_bot,
            )
        state = PullRequestState(
            repo=self.repo_name,
            number=number,
            title=pull.title or "",
            author=User(pull.user.login, pull.user.id),
            head_sha=head_sha,
            head_committed_at=_iso(committed),
            base_ref=pull.base.ref,
            files=tuple(files),
            default_branch=pull.base.repo.default_branch if pull.base.repo else pull.base.ref,
            registry_sha=registry_sha,
            base_branch_sha=registry_sha,  # checked only before a merge: see default_branch_tip
            registry=registry,
            labels=tuple(label.name for label in pull.labels),
            requested_reviewers=tuple(User(u.login, u.id) for u in pull.requested_reviewers),
            reviews=tuple(
                Review(r.id, User(r.user.login, r.user.id) if r.user else User("ghost"), r.state, r.commit_id or "", _iso(r.submitted_at))
                for r in reviews
            ),
            comments=state_comments,
            draft=bool(pull.draft),
            open=pull.state == "open",
            merged=bool(pull.merged),
            mergeable=pull.mergeable,
            status=status,
            proposer=proposer,
            files_truncated=pull.changed_files > len(files),
        )
        return state, handles

    def _read_entry(self, path: str, sha: str) -> tuple[bytes | None, str]:
        """An entry's bytes at the head commit, as data. Symbolic links and
        submodules are refused (their mode is returned, not their target)."""
        try:
            item = self.call(f"read {path}", self.repo.get_contents, path, ref=sha)
        except AdapterError as exc:
            if isinstance(exc.__cause__, GithubException) and exc.__cause__.status == 404:
                return None, "100644"
            raise
        if isinstance(item, list):
            return None, "040000"
        if item.type == "symlink" or item.path != path:
            # GitHub follows a symlink to a file in the repository and
            # answers with the target's path: still a symlink to us.
            return None, "120000"
        if item.type == "submodule":
            return None, "160000"
        if item.type != "file":
            return None, "unknown"
        if item.encoding != "base64" or item.content is None:
            return None, "100644"  # over GitHub's 1 MB contents limit: far over ours
        return base64.b64decode(item.content), "100644"

    def read_file(self, path: str, sha: str) -> bytes | None:
        """Any regular file at a commit, as bytes (None if it is not one)."""
        content, mode = self._read_entry(path, sha)
        return content if mode == "100644" else None

    def default_branch_tip(self, branch: str) -> str:
        ref = self.call("read the default branch", lambda: _loaded(self.repo.get_git_ref(f"heads/{branch}")))
        return ref.object.sha

    def changed_entries_between(self, base: str, head: str) -> dict[str, bytes | None]:
        """Entries that changed on the default branch since ``base``: their
        bytes at ``head`` (None when removed)."""
        comparison = self.call("compare the default branch", self.repo.compare, base, head)
        out = {}
        for item in comparison.files:
            if not self.governance.is_entry_path(item.filename):
                continue
            if item.status == "removed":
                out[item.filename] = None
            else:
                content, mode = self._read_entry(item.filename, head)
                out[item.filename] = content if mode == "100644" else None
        return out

    def pulls_for_sha(self, sha: str) -> list[int]:
        commit = self.call("read a commit", lambda: _loaded(self.repo.get_commit(sha)))
        found = self.call("find pull requests of a commit", lambda: [p.number for p in commit.get_pulls() if p.state == "open"])
        if found:
            return found
        # Pull requests from forks are not always associated with the commit:
        # look at the open ones.
        return self.call("list open pull requests", lambda: [p.number for p in self.repo.get_pulls(state="open") if p.head.sha == sha])

    def open_pull_numbers(self) -> list[int]:
        return self.call("list open pull requests", lambda: [p.number for p in self.repo.get_pulls(state="open")])

    # -- writing ------------------------------------------------------------

    def apply(self, actions, handles: Handles, state: PullRequestState) -> dict:
        """Apply actions in order. Returns what happened; raises StopRun for a
        reason to re-evaluate later, AdapterError when GitHub keeps failing."""
        pull = handles.pull
        report = {"merged": False, "applied": []}
        for action in actions:
            if isinstance(action, A.React):
                comment = handles.comments.get(action.comment_id)
                if comment is not None:
                    self.call("react to a command", comment.create_reaction, action.content)
            elif isinstance(action, A.AddLabels):
                self._ensure_labels(action.names)
                self.call("add labels", pull.add_to_labels, *action.names)
            elif isinstance(action, A.RemoveLabel):
                try:
                    self.call("remove a label", pull.remove_from_labels, action.name)
                except AdapterError as exc:
                    if not (isinstance(exc.__cause__, GithubException) and exc.__cause__.status == 404):
                        raise  # already gone is fine
            elif isinstance(action, A.RequestReviews):
                try:
                    self.call("request reviews", pull.create_review_request, reviewers=list(action.logins))
                except AdapterError as exc:
                    cause = exc.__cause__
                    if not (isinstance(cause, GithubException) and cause.status == 422):
                        raise
                    # e.g. a chair who is not a collaborator: say so, go on
                    report.setdefault("warnings", []).append(f"{exc}; check the logins in .github/governance.yml")
            elif isinstance(action, A.SetStatus):
                self.call(
                    "set the commit status",
                    handles.commit.create_status,
                    action.state,
                    description=action.description,
                    context=action.context,
                )
            elif isinstance(action, A.CreateComment):
                self._create_comment(pull, action.body)
            elif isinstance(action, A.EditComment):
                self.call("edit the bot's comment", handles.comments[action.comment_id].edit, action.body)
            elif isinstance(action, A.DeleteComment):
                self.call("delete a duplicate comment", handles.comments[action.comment_id].delete)
            elif isinstance(action, A.Merge):
                self._merge(pull, action)
                report["merged"] = True
            report["applied"].append(action)
        return report

    def _ensure_labels(self, names) -> None:
        """Create the labels the repository lacks, with a colour and a
        description (adding a missing label would create a grey one)."""
        existing = self.call("list labels", lambda: {label.name for label in self.repo.get_labels()})
        for name in names:
            if name in existing:
                continue
            key = next((k for k in LABEL_STYLE if k == name or (k.endswith(":") and name.startswith(k))), None)
            key = key or next((k for k, v in self.governance.labels.items() if v == name), None)
            color, description = LABEL_STYLE.get(key, ("ededed", ""))
            try:
                self.call(f"create label {name}", self.repo.create_label, name, color, description)
            except AdapterError as exc:
                cause = exc.__cause__
                if not (isinstance(cause, GithubException) and cause.status == 422):  # created meanwhile
                    raise

    def _create_comment(self, pull, body: str) -> None:
        """Creating is not idempotent: after a failure, look before retrying."""
        try:
            pull.create_issue_comment(body)
            return
        except (GithubException, requests.exceptions.RequestException) as exc:
            first = exc
        for attempt in range(self.attempts):
            delay = _retry_delay(first, attempt, self.clock())
            if delay is None:
                raise AdapterError(f"write the bot's comment: {_describe(first)}") from first
            self.sleep(delay)
            comments = self.call("list the comments", lambda: list(pull.get_issue_comments()))
            if any(self.governance.is_bot(c.user.login) and MARKER in (c.body or "") for c in comments):
                return  # it landed; a next run edits it (and removes any duplicate)
            try:
                pull.create_issue_comment(body)
                return
            except (GithubException, requests.exceptions.RequestException) as exc:
                first = exc
        raise AdapterError(f"write the bot's comment: {_describe(first)}") from first

    def _merge(self, pull, action: A.Merge) -> None:
        try:
            result = pull.merge(
                commit_message=action.message,
                commit_title=action.title,
                merge_method=action.method,
                sha=action.expected_sha,
            )
        except GithubException as exc:
            if exc.status == 409:
                raise StopRun("the head of the pull request changed before the merge; the next run re-checks") from exc
            if exc.status == 405:
                raise StopRun("GitHub says the pull request cannot be merged now; the next run re-checks") from exc
            return self._merged_after_failure(pull, action, exc)
        except requests.exceptions.RequestException as exc:
            return self._merged_after_failure(pull, action, exc)
        if not getattr(result, "merged", False):
            raise StopRun(f"GitHub did not merge: {getattr(result, 'message', '')}")

    def _merged_after_failure(self, pull, action, exc) -> None:
        """Never retry a merge blindly: look whether it happened."""
        fresh = self.call("check whether the merge happened", lambda: _loaded(self.repo.get_pull(pull.number)))
        if fresh.merged and fresh.head.sha == action.expected_sha:
            return
        raise AdapterError(f"merge failed: {_describe(exc)}; it did not happen, the next run tries again") from exc

    def dispatch_workflow(self, workflow: str, ref: str) -> None:
        flow = self.call("find the publish workflow", self.repo.get_workflow, workflow)
        ok = self.call("start the publish workflow", flow.create_dispatch, ref)
        if ok is False:
            raise AdapterError(f"GitHub refused to start {workflow}")


def _loaded(obj):
    """With lazy objects the request happens on first use: make it happen
    here, inside the retrying call."""
    obj.raw_data  # noqa: B018 - completes the object
    return obj


def _iso(value) -> str:
    if value is None:
        return ""
    text = value.isoformat()
    return text.replace("+00:00", "Z")


def _describe(exc) -> str:
    status = getattr(exc, "status", None)
    data = getattr(exc, "data", None)
    message = data.get("message") if isinstance(data, dict) else None
    if status:
        return f"HTTP {status}" + (f" ({message})" if message else "")
    return type(exc).__name__ + (f": {exc}" if str(exc) else "")
