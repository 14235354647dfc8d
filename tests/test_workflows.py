"""The GitHub Actions workflows, checked the way an attacker would read them.

Three layers, each covering every file in ``.github/workflows/`` (whoever
wrote it):

1. ``zizmor --offline`` at its default persona: zero findings. The privileged
   triggers themselves are suppressed inline in the workflow, with the reason.
2. ``check-jsonschema --builtin-schema vendor.github-workflows``: every file
   is a valid workflow.
3. ``workflow_problems`` below: the rules of this project's security shape,
   which a general linter does not know. Its own tests feed it bad workflows
   and check that each one is refused, so a green run means something.

Plus the lock file: ``requirements/bot.txt`` must pin, with hashes, every
runtime dependency that ``pyproject.toml`` names.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])

# ---------------------------------------------------------------------------
# The checker

# Triggers whose runs get a read-only token and no secrets when the pull
# request comes from a fork. A workflow with any OTHER trigger runs with the
# repository's own token (pull_request_target, workflow_run, issue_comment,
# issues, schedule, workflow_dispatch, push, ...): it is privileged.
UNPRIVILEGED_TRIGGERS = frozenset({"pull_request", "pull_request_review", "pull_request_review_comment"})

# Parts of a checkout `ref` or `repository` that point at a pull request's
# code (its head, its merge commit, its fork), case-insensitive.
PR_REF_MARKERS = ("head", "pull", "github.event.pull_request", "github.head_ref", "refs/pull")

# The only expressions allowed inside a `run:` script (or a github-script
# `script:`): values GitHub sets that nobody outside can choose. Everything
# else goes through `env:` and is quoted by the shell.
SAFE_SCRIPT_EXPRESSIONS = frozenset(
    {
        "github.repository",
        "github.repository_owner",
        "github.run_id",
        "github.run_number",
        "github.run_attempt",
        "github.sha",
        "github.workspace",
        "github.server_url",
        "github.api_url",
        "github.workflow",
        "github.job",
        "github.event_name",
    }
)
_SAFE_RUNNER = re.compile(r"^runner\.[a-z_]+$")
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_PINNED = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
# A `uses:` line of a pinned action must say which version the SHA is.
_USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)(?P<rest>.*)$")
_VERSION_COMMENT = re.compile(r"#\s*v?\d+(\.\d+)*")
_PIP_INSTALL = re.compile(r"\bpip3?\s+install\b([^\n]*)")


def _load(text: str):
    yaml = YAML(typ="safe", pure=True)  # YAML 1.2: `on` stays a string key
    return yaml.load(io.StringIO(text))


def triggers(workflow: dict) -> set[str]:
    on = workflow.get("on", workflow.get(True))  # True: a YAML 1.1 parser's `on`
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return set(on)
    if isinstance(on, dict):
        return set(on)
    return set()


def is_privileged(workflow: dict) -> bool:
    return bool(triggers(workflow) - UNPRIVILEGED_TRIGGERS)


def _is_checkout(uses: str) -> bool:
    return uses.split("@", 1)[0].lower() == "actions/checkout"


def _false(value) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


def _unsafe_expressions(script: str) -> list[str]:
    bad = []
    for match in _EXPRESSION.finditer(script):
        body = match.group(1).strip()
        if body in SAFE_SCRIPT_EXPRESSIONS or _SAFE_RUNNER.match(body):
            continue
        bad.append(match.group(0))
    return bad


def workflow_problems(text: str, name: str = "workflow") -> list[str]:
    """Every way the workflow in ``text`` breaks this project's rules, as
    one-line messages (empty when it keeps them all)."""
    problems: list[str] = []
    try:
        workflow = _load(text)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a problem
        return [f"{name}: not valid YAML: {exc}"]
    if not isinstance(workflow, dict):
        return [f"{name}: not a workflow (a mapping at the top)"]
    privileged = is_privileged(workflow)

    if "permissions" not in workflow:
        problems.append(f"{name}: no top-level `permissions` (write `permissions: {{}}`)")
    elif workflow["permissions"] not in ({}, None) or not isinstance(workflow["permissions"], dict):
        problems.append(f"{name}: top-level `permissions` must be `{{}}`; give each job what it needs")

    jobs = workflow.get("jobs") or {}
    for job_id, job in jobs.items():
        where = f"{name}: job `{job_id}`"
        if not isinstance(job, dict):
            problems.append(f"{where}: not a mapping")
            continue
        if "permissions" not in job:
            problems.append(f"{where}: no explicit `permissions`")
        if "uses" in job:  # a reusable workflow
            ref = str(job["uses"])
            if not ref.startswith("./") and not _PINNED.match(ref):
                problems.append(f"{where}: reusable workflow `{ref}` is not pinned to a full commit SHA")
        for index, step in enumerate(job.get("steps") or []):
            if not isinstance(step, dict):
                continue
            label = f"{where}, step {index + 1}" + (f" ({step['name']})" if step.get("name") else "")
            uses = str(step.get("uses") or "")
            inputs = step.get("with") or {}
            if uses:
                if uses.startswith("docker://"):
                    if "@sha256:" not in uses:
                        problems.append(f"{label}: `{uses}` is not pinned to an image digest")
                elif not uses.startswith("./") and not _PINNED.match(uses):
                    problems.append(f"{label}: `{uses}` is not pinned to a full 40-hex commit SHA")
            if uses and _is_checkout(uses):
                if not _false(inputs.get("persist-credentials")):
                    problems.append(f"{label}: checkout without `persist-credentials: false`")
                if privileged:
                    for key in ("ref", "repository"):
                        value = str(inputs.get(key) or "")
                        hits = [m for m in PR_REF_MARKERS if m in value.lower()]
                        if hits:
                            problems.append(
                                f"{label}: privileged workflow checks out pull-request code ({key}: {value})"
                            )
            if privileged and uses:
                action = uses.split("@", 1)[0].lower()
                if action == "actions/cache" or action.startswith("actions/cache/"):
                    problems.append(f"{label}: a cache in a privileged workflow can be poisoned by a pull request")
                if action.startswith("actions/setup-") and inputs.get("cache"):
                    problems.append(f"{label}: `cache:` in a privileged workflow can be poisoned by a pull request")
                if action.endswith("download-artifact") and (
                    action != "actions/download-artifact" or "run-id" in inputs or "github-token" in inputs
                ):
                    problems.append(f"{label}: artifacts from another run are untrusted data in a privileged workflow")
            scripts = []
            if "run" in step:
                scripts.append(("run", str(step["run"])))
            if uses.split("@", 1)[0].lower() == "actions/github-script" and "script" in inputs:
                scripts.append(("script", str(inputs["script"])))
            for key, script in scripts:
                for expression in _unsafe_expressions(script):
                    problems.append(f"{label}: `{expression}` inside `{key}:` (pass the value through `env:`)")
                for match in _PIP_INSTALL.finditer(script):
                    args = match.group(1)
                    words = args.split()
                    # Locked and hashed, or the project itself with nothing else.
                    local_only = "--no-deps" in words and [w for w in words if not w.startswith("-")] == ["."]
                    if "--require-hashes" not in words and not local_only:
                        problems.append(
                            f"{label}: `pip install{args}` without --require-hashes (install from requirements/*.txt)"
                        )

    # The version comment lives in the text, not in the parsed data.
    for number, line in enumerate(text.splitlines(), start=1):
        match = _USES_LINE.match(line)
        if not match:
            continue
        ref = match.group("ref").strip("'\"")
        if ref.startswith("./") or ref.startswith("docker://"):
            continue
        if _PINNED.match(ref) and not _VERSION_COMMENT.search(match.group("rest")):
            problems.append(f"{name}:{number}: `{ref}` has no version comment (`# vX.Y.Z`)")
    return problems


# ---------------------------------------------------------------------------
# The real workflows


def test_the_workflows_exist():
    names = {path.name for path in WORKFLOW_FILES}
    assert {"validate.yml", "bot.yml", "review-relay.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_keeps_the_security_rules(path):
    problems = workflow_problems(path.read_text(encoding="utf-8"), path.name)
    assert not problems, "\n".join(problems)


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: `pip install -e '.[test]'` installs it")
    return found


def zizmor(folder: Path) -> tuple[list, str]:
    """zizmor's findings (JSON) for a folder, and a readable list of them."""
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--format=json", "--no-progress", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    try:
        findings = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"zizmor failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    lines = []
    for finding in findings:
        places = []
        for location in finding.get("locations", []):
            try:
                local = location["symbolic"]["key"]["Local"]  # field names vary by version
                path = local.get("verbatim_path") or local.get("given_path") or next(iter(local.values()))
                row = location["concrete"]["location"]["start_point"]["row"] + 1
                places.append(f"{path}:{row}")
            except (KeyError, TypeError):
                continue
        lines.append(f"{finding.get('ident')}: {finding.get('desc')} at {', '.join(places) or '?'}")
    return findings, "\n".join(lines)


def test_zizmor_finds_nothing():
    findings, listed = zizmor(WORKFLOWS)
    assert findings == [], "zizmor --offline findings:\n" + listed


def test_zizmor_reports_a_dangerous_workflow(tmp_path):
    """The zizmor test can fail: a workflow that checks out a fork's head in
    pull_request_target, with a title in a script, is reported."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "bad.yml").write_text(
        BAD["pull_request_target checking out the head"][0].replace(
            'echo "$TITLE"', 'echo "${{ github.event.pull_request.title }}"'
        ),
        encoding="utf-8",
    )
    findings, listed = zizmor(folder)
    idents = {f.get("ident") for f in findings}
    assert {"dangerous-triggers", "template-injection"} <= idents, listed
    assert "bad.yml:" in listed


def test_workflows_match_the_github_schema():
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOW_FILES)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _workflow(name: str) -> dict:
    return _load((WORKFLOWS / name).read_text(encoding="utf-8"))


def test_workflow_run_listens_to_workflows_that_exist():
    """`workflow_run` matches by name: a renamed relay would silently stop
    carrying reviews to the bot."""
    names = {_load(p.read_text(encoding="utf-8")).get("name") for p in WORKFLOW_FILES}
    for path in WORKFLOW_FILES:
        on = _load(path.read_text(encoding="utf-8")).get("on")
        if isinstance(on, dict) and isinstance(on.get("workflow_run"), dict):
            for listened in on["workflow_run"].get("workflows", []):
                assert listened in names, f"{path.name} listens to `{listened}`, which no workflow is named"


def test_the_relay_has_no_permission_and_carries_nothing():
    relay = _workflow("review-relay.yml")
    assert triggers(relay) == {"pull_request_review"}
    for job in relay["jobs"].values():
        assert job["permissions"] == {}
        for step in job["steps"]:
            assert "uses" not in step, "the relay checks nothing out and uploads nothing"


def test_validation_has_no_write_permission():
    validate = _workflow("validate.yml")
    assert triggers(validate) == {"pull_request"}
    for job in validate["jobs"].values():
        assert all(level in ("read", "none") for level in job["permissions"].values())
        assert any("bot check --format github" in str(step.get("run", "")) for step in job["steps"])


def test_every_bot_job_checks_out_the_default_branch_first():
    bot = _workflow("bot.yml")
    assert {"pull_request_target", "issue_comment", "issues", "workflow_run", "schedule", "workflow_dispatch"} <= (
        triggers(bot)
    )
    for job_id, job in bot["jobs"].items():
        first = job["steps"][0]
        assert _is_checkout(first["uses"]), job_id
        assert first["with"]["ref"] == "${{ github.event.repository.default_branch }}", job_id
        installs = [s["run"] for s in job["steps"] if "pip install" in str(s.get("run", ""))]
        assert installs and all("--require-hashes" in r for r in installs), job_id


# ---------------------------------------------------------------------------
# The checker refuses what it should: each bad workflow breaks one rule.

# Test data only, never a real commit: the checker looks at the shape of a pin.
FAKE_SHA = "0123456789abcdef0123456789abcdef01234567"

GOOD = """\
name: Good
on:
  pull_request_target:
    types: [opened]
permissions: {}
jobs:
  bot:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          ref: ${{ github.event.repository.default_branch }}
          persist-credentials: false
      - env:
          TITLE: ${{ github.event.pull_request.title }}
        run: |
          echo "$TITLE" in ${{ github.repository }}
          python -m pip install --require-hashes -r requirements/bot.txt
"""


def _bad(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new)


BAD = {
    "pull_request_target checking out the head": (
        _bad("ref: ${{ github.event.repository.default_branch }}", "ref: ${{ github.event.pull_request.head.sha }}"),
        "checks out pull-request code",
    ),
    "checkout of the pull request's merge ref": (
        _bad("ref: ${{ github.event.repository.default_branch }}", "ref: refs/pull/${{ github.event.number }}/merge"),
        "checks out pull-request code",
    ),
    "checkout of github.head_ref": (
        _bad("ref: ${{ github.event.repository.default_branch }}", "ref: ${{ github.head_ref }}"),
        "checks out pull-request code",
    ),
    "checkout of the fork's repository": (
        _bad(
            "persist-credentials: false",
            "persist-credentials: false\n          repository: ${{ github.event.pull_request.head.repo.full_name }}",
        ),
        "checks out pull-request code",
    ),
    "workflow_run checking out the triggering run's head": (
        _bad("pull_request_target:\n    types: [opened]", "workflow_run:\n    workflows: [X]").replace(
            "ref: ${{ github.event.repository.default_branch }}", "ref: ${{ github.event.workflow_run.head_sha }}"
        ),
        "checks out pull-request code",
    ),
    "persisted credentials": (
        _bad("persist-credentials: false", "persist-credentials: true"),
        "persist-credentials: false",
    ),
    "persist-credentials left out": (
        _bad("          persist-credentials: false\n", ""),
        "persist-credentials: false",
    ),
    "pull request title in a script": (
        _bad('echo "$TITLE"', 'echo "${{ github.event.pull_request.title }}"'),
        "inside `run:`",
    ),
    "branch name in a script": (
        _bad('echo "$TITLE"', "git log ${{ github.head_ref }}"),
        "inside `run:`",
    ),
    "dispatch input in a script": (
        _bad('echo "$TITLE"', "python -m bot review --pr ${{ inputs.pr }}"),
        "inside `run:`",
    ),
    "comment body in github-script": (
        _bad(
            "      - env:",
            f"      - uses: actions/github-script@{FAKE_SHA} # v0 (test data)\n"
            "        with:\n"
            "          script: console.log('${{ github.event.comment.body }}')\n"
            "      - env:",
        ),
        "inside `script:`",
    ),
    "action pinned to a tag": (
        _bad("actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0", "actions/checkout@v5"),
        "not pinned",
    ),
    "action pinned to a short SHA": (
        _bad("actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0", "actions/checkout@08c6903 # v5"),
        "not pinned",
    ),
    "SHA without a version comment": (
        _bad("08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0", "08c6903cd8c0fde910a37f88322edcfb5dd907a8"),
        "no version comment",
    ),
    "no top-level permissions": (
        _bad("permissions: {}\n", ""),
        "no top-level `permissions`",
    ),
    "write-all at the top": (
        _bad("permissions: {}\n", "permissions: write-all\n"),
        "top-level `permissions` must be",
    ),
    "job without permissions": (
        _bad("    permissions:\n      contents: read\n", ""),
        "no explicit `permissions`",
    ),
    "unhashed pip install": (
        _bad("python -m pip install --require-hashes -r requirements/bot.txt", "pip install -r requirements.txt"),
        "without --require-hashes",
    ),
    "unhashed package hidden behind --no-deps": (
        _bad("python -m pip install --require-hashes -r requirements/bot.txt", "pip install --no-deps . evil"),
        "without --require-hashes",
    ),
    "cache in a privileged workflow": (
        _bad(
            "      - env:",
            f"      - uses: actions/setup-python@{FAKE_SHA} # v0 (test data)\n"
            "        with:\n"
            "          cache: pip\n"
            "      - env:",
        ),
        "can be poisoned",
    ),
    "artifact of another run in a privileged workflow": (
        _bad(
            "      - env:",
            f"      - uses: actions/download-artifact@{FAKE_SHA} # v0 (test data)\n"
            "        with:\n"
            "          run-id: ${{ github.event.workflow_run.id }}\n"
            "      - env:",
        ),
        "artifacts from another run",
    ),
    "unpinned reusable workflow": (
        GOOD + "  other:\n    permissions: {}\n    uses: someone/repo/.github/workflows/x.yml@main\n",
        "reusable workflow",
    ),
}


def test_the_good_example_passes():
    assert workflow_problems(GOOD, "good.yml") == []


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_checker_refuses(case):
    text, expected = BAD[case]
    problems = workflow_problems(text, "bad.yml")
    assert problems, f"{case}: accepted"
    assert any(expected in p for p in problems), f"{case}: refused for another reason: {problems}"


def test_an_unprivileged_workflow_may_check_out_the_pull_request():
    """`pull_request` runs with a read-only token for forks: checking out the
    pull request there is the point (validate.yml), not a leak."""
    text = _bad("pull_request_target:", "pull_request:").replace(
        "ref: ${{ github.event.repository.default_branch }}", "ref: ${{ github.event.pull_request.head.sha }}"
    )
    assert workflow_problems(text, "pr.yml") == []


@pytest.mark.parametrize("trigger", ["issue_comment", "issues", "schedule", "workflow_dispatch", "push"])
def test_other_write_token_triggers_are_privileged(trigger):
    text = _bad("pull_request_target:\n    types: [opened]", f"{trigger}:").replace(
        "ref: ${{ github.event.repository.default_branch }}", "ref: refs/pull/1/head"
    )
    assert any("checks out pull-request code" in p for p in workflow_problems(text, "t.yml"))


# ---------------------------------------------------------------------------
# The lock file


def _pyproject_dependencies() -> list[Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(line) for line in data["project"]["dependencies"]]


def _pins(text: str) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) of a pip-compile output."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s\\;]+)", line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        if current and "--hash=sha256:" in line:
            version, count = pins[current]
            pins[current] = (version, count + line.count("--hash=sha256:"))
    return pins


def lock_problems(dependencies: list[Requirement], lock_text: str) -> list[str]:
    pins = _pins(lock_text)
    problems = []
    for requirement in dependencies:
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement.name} is in pyproject.toml but not pinned in requirements/bot.txt")
            continue
        version, hashes = pins[name]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} does not satisfy `{requirement}` from pyproject.toml")
        if not hashes:
            problems.append(f"{requirement.name}=={version} has no hash")
    for name, (version, hashes) in pins.items():
        if not hashes:
            problems.append(f"{name}=={version} has no hash")
    return sorted(set(problems))


def test_the_lock_pins_every_runtime_dependency_with_hashes():
    lock = (ROOT / "requirements" / "bot.txt").read_text(encoding="utf-8")
    problems = lock_problems(_pyproject_dependencies(), lock)
    assert not problems, "\n".join(problems) + "\n(run the pip-compile command in requirements/bot.in)"
    # The build backend too: the workflows install with --no-build-isolation.
    assert "setuptools" in _pins(lock)


def test_the_lock_input_follows_pyproject():
    wanted = {canonicalize_name(r.name): r for r in _pyproject_dependencies()}
    listed = {}
    for raw in (ROOT / "requirements" / "bot.in").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            listed[canonicalize_name(requirement.name)] = requirement
    for name, requirement in wanted.items():
        assert name in listed, f"{requirement.name} is in pyproject.toml but not in requirements/bot.in"
        assert str(listed[name]) == str(requirement), f"bot.in has `{listed[name]}`, pyproject.toml `{requirement}`"
    assert set(listed) - set(wanted) == {"setuptools"}, "bot.in names a package pyproject.toml does not"


def test_the_drift_check_can_fail():
    lock = "jinja2==3.1.6 \\\n    --hash=sha256:" + "0" * 64 + "\n" + "unhashed==1.0\n"
    problems = lock_problems([Requirement("Jinja2>=3.1"), Requirement("PyGithub>=2.3"), Requirement("x>=2")], lock)
    assert "PyGithub is in pyproject.toml but not pinned in requirements/bot.txt" in problems
    assert "x is in pyproject.toml but not pinned in requirements/bot.txt" in problems
    assert "unhashed==1.0 has no hash" in problems
    hashed = lock.replace("unhashed==1.0\n", "")
    assert lock_problems([Requirement("Jinja2>=3.2")], hashed) == [
        "Jinja2==3.1.6 does not satisfy `Jinja2>=3.2` from pyproject.toml"
    ]
