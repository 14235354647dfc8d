"""A small world for end-to-end bot tests: a simulated GitHub repository
that holds the registry, and a local checkout of its default branch, with
the real adapter pointed at the simulator."""

from __future__ import annotations

import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path

from bot.app import review_pull
from bot.github_adapter import GitHubAdapter
from bot.governance import load_governance
from bot.project import Project
from bot.registry import Context
from tests.conftest import ROOT

REPO = "igov/registry"
CASES = Path(__file__).resolve().parent / "cases"
BOT = "github-actions[bot]"

GOVERNANCE = f"""\
chair: {{login: alice, name: A. Chair}}
co_chair: {{login: bob, name: B. Cochair}}
alternates: [{{login: carol}}]
maintainers: [{{login: dave}}]
bot: {{login: "{BOT}"}}
"""

VALID = (CASES / "_entries/new-valid.yaml").read_text()
INVALID = (CASES / "_entries/new-invalid.yaml").read_text()
NEW_PATH = "entries/asean-cert-incident-drill.yaml"


def registry_files() -> dict[str, str]:
    files = {f"entries/{p.name}": p.read_text() for p in sorted((CASES / "_registry").glob("*.yaml"))}
    for path in sorted((ROOT / "schema").rglob("*")):
        if path.is_file():
            files[path.relative_to(ROOT).as_posix()] = path.read_text()
    files[".github/governance.yml"] = GOVERNANCE
    files["bot/__init__.py"] = '"""the bot"""\n'
    files[".github/workflows/bot.yml"] = "on: push\n"
    files[".github/workflows/publish.yml"] = "on: workflow_dispatch\n"
    return files


@dataclass
class World:
    sim: object
    root: Path
    now: datetime.datetime = datetime.datetime(2026, 11, 29, 18, 0, tzinfo=datetime.timezone.utc)
    sleeps: list = None

    def __post_init__(self):
        self.sleeps = []
        self.sim.create_repo(REPO, files=registry_files(), collaborators=["alice", "bob", "carol", "dave"])
        self.checkout()

    def checkout(self) -> None:
        """Lay out the default branch locally, as actions/checkout would."""
        if self.root.exists():
            shutil.rmtree(self.root)
        sim_repo = self.sim.repo(REPO)
        head = self.sim.branch_sha(REPO, "main")
        for path in sim_repo.commits[head].tree:
            content = self.sim.file(REPO, head, path)
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        self.checkout_sha = head

    @property
    def project(self) -> Project:
        return Project(self.root)

    def adapter(self) -> GitHubAdapter:
        governance = load_governance(self.project.governance_path)
        return GitHubAdapter(REPO, "t", governance, api_url=self.sim.base_url, sleep=self.sleeps.append, throttle=False, attempts=5)

    def review(self, number: int, *, dry_run: bool = False, adapter=None):
        adapter = adapter or self.adapter()
        ctx = Context.load(self.project)
        governance = adapter.governance
        import bot.app

        original = bot.app.checkout_sha
        bot.app.checkout_sha = lambda root: self.checkout_sha
        try:
            result = review_pull(adapter, self.project, ctx, governance, number, dry_run=dry_run, now=self.now)
        finally:
            bot.app.checkout_sha = original
        result["adapter"] = adapter
        return result

    def propose(self, branch: str, files: dict, user: str = "stakeholder", title: str = "Add a mechanism", draft=False) -> int:
        self.sim.push(REPO, branch, files, author=user, message=title, from_branch="main")
        return self.sim.open_pull(REPO, branch, "main", user=user, title=title, draft=draft)

    def approve(self, number: int, *users: str) -> str:
        """The named people (default: chair and co-chair) approve the
        current head commit; returns that commit."""
        head = self.head(number)
        for user in users or ("alice", "bob"):
            self.sim.review(REPO, number, user, "APPROVED", commit_id=head)
        return head

    def bot_comments(self, number: int):
        return [c for c in self.sim.comments(REPO, number) if c.user.login == BOT]

    def head(self, number: int) -> str:
        return self.sim.pull(REPO, number).head_sha
