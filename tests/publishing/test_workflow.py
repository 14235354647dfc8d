"""The publish workflow's security shape, checked statically."""

import re

from ruamel.yaml import YAML

from tests.publishing.registry import REPO

PATH = REPO / ".github" / "workflows" / "publish.yml"


def load():
    return YAML(typ="safe").load(PATH.read_text())


def test_triggers_and_permissions():
    flow = load()
    on = flow["on"]
    assert set(on) == {"push", "workflow_dispatch"}
    assert flow["permissions"] == {}
    assert flow["concurrency"]["group"] == "pages"
    jobs = flow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["tag"]["permissions"] == {"contents": "write"}
    assert jobs["deploy"]["needs"] == "build" and jobs["tag"]["needs"] == "deploy"


def test_every_permission_has_a_comment():
    text = PATH.read_text()
    for match in re.finditer(r"^( +)(contents|pages|id-token): (read|write)$", text, re.M):
        before = text[: match.start()].rstrip("\n").splitlines()[-1].strip()
        assert before.startswith("#"), match.group(0)


def test_actions_pinned_to_full_shas_with_version_comments():
    uses = re.findall(r"uses: (\S+)(.*)", PATH.read_text())
    assert uses
    for action, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.search(r"# v\d", rest), action


def test_checkout_has_full_history_and_no_credentials():
    steps = load()["jobs"]["build"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert any("python -m bot build" in s.get("run", "") for s in steps)


def test_no_expressions_inside_run():
    for job in load()["jobs"].values():
        for step in job.get("steps", ()):
            assert "${{" not in step.get("run", ""), step
