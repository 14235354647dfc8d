"""``build`` as a secretariat runs it: exit codes, messages, changelog from git."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.publishing.registry import REPO, entry, make_registry, sample_entries, write_entry

GIT = shutil.which("git")


def build(root, *args, env=None):
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_REPOSITORY", "BOT_DEBUG")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.site", "--root", str(root), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
    )


def test_valid_registry_builds_everything(registry, tmp_path):
    out = tmp_path / "out"
    done = build(registry, "--out", str(out), "--date", "2026-11-29")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "5 mechanisms (2 awaiting verification)" in done.stdout
    assert "first publication" in done.stdout and "links left out" in done.stdout
    for name in ("index.html", "coverage.html", "changes.html", "changes.md", "mapping.md", "mapping.csv", "mapping.json", "static/site.css", "static/filter.js", "entries/cert-network.html"):
        assert (out / name).is_file(), name
    assert "first publication" in (out / "changes.md").read_text()


def test_default_out_is_site_in_the_registry(registry):
    done = build(registry, env={"GITHUB_REPOSITORY": "org/repo"})
    assert done.returncode == 0, done.stderr
    page = (registry / "site" / "entries" / "cert-network.html").read_text()
    assert "https://github.com/org/repo/issues/new?template=correct-entry.yml&amp;entry=cert-network" in page


def test_invalid_entries_are_left_out_named_and_exit_1(registry, tmp_path):
    write_entry(registry, entry("bad-scope", scope="internationl"))
    write_entry(registry, {"id": "broken"}, raw="id: broken\nname: [unclosed\n")
    out = tmp_path / "out"
    done = build(registry, "--out", str(out))
    assert done.returncode == 1
    assert "entries/bad-scope.yaml:" in done.stderr and "scope" in done.stderr
    assert "entries/broken.yaml:" in done.stderr
    assert "2 entries with errors left out" in done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads((out / "mapping.json").read_text())
    assert sorted(e["id"] for e in data["entries"]) == sorted(e["id"] for e in sample_entries())
    assert not (out / "entries" / "bad-scope.html").exists()
    index = (out / "index.html").read_text()
    assert "2 entries left out" in index and "entries/bad-scope.yaml" in index
    assert "2 entries left out because of errors" in (out / "mapping.md").read_text()


def test_broken_vocabulary_is_exit_1_and_builds_nothing(registry, tmp_path):
    (registry / "schema" / "vocabularies" / "regions.yaml").write_text("regions: 3\n")
    done = build(registry, "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "regions.yaml" in done.stderr and "nothing was built" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--repo", "not a repo"], "--repo"),
        (["--date", "yesterday"], "--date"),
        (["--since", "no-such-tag"], "no-such-tag"),
    ],
)
def test_usage_problems_are_one_line_and_exit_2(registry, tmp_path, args, message):
    done = build(registry, "--out", str(tmp_path / "out"), *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]


def test_no_registry_is_exit_2(tmp_path):
    done = build(tmp_path / "nowhere", "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and done.stderr.startswith("error: ")


def test_unwritable_output_is_exit_2(registry, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = build(registry, "--out", str(blocker / "sub"))
    assert done.returncode == 2 and "cannot write the site" in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------------------
# Changelog from git history


def git(root, *args):
    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"},
    )


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_changes_since_the_last_published_tag(registry, tmp_path):
    git(registry, "init", "-q", "-b", "main")
    git(registry, "add", "-A")
    git(registry, "commit", "-qm", "first")
    git(registry, "tag", "published-2026-10-01")
    # Then: one entry changed, one removed, one added (not even committed yet).
    changed = next(e for e in sample_entries() if e["id"] == "privacy-forum")
    changed["scope"] = "regional"
    changed["urls"] = ["https://example.org/privacy-new"]
    write_entry(registry, changed)
    (registry / "entries" / "spam-coalition.yaml").unlink()
    git(registry, "add", "-A")
    git(registry, "commit", "-qm", "second")
    write_entry(registry, entry("new-forum", name="New Forum"))
    out = tmp_path / "out"
    done = build(registry, "--out", str(out), "--date", "2026-11-29")
    assert done.returncode == 0, done.stderr
    assert "since published-2026-10-01: 1 added, 1 changed, 1 removed" in done.stdout
    text = (out / "changes.md").read_text()
    assert "Since the previous publication (published-2026-10-01):" in text
    assert "- New Forum (new-forum)" in text
    assert "- Privacy Forum (privacy-forum): scope, urls" in text
    assert "- Anti-Spam Coalition (spam-coalition)" in text
    html = (out / "changes.html").read_text()
    assert 'href="entries/new-forum.html"' in html
    # An explicit ref works too; comparing with the current commit lists only the uncommitted entry.
    done = build(registry, "--out", str(out), "--since", "HEAD")
    assert "since HEAD: 1 added, 0 changed, 0 removed" in done.stdout


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_hostile_old_version_is_read_with_the_safe_loader(registry, tmp_path):
    git(registry, "init", "-q", "-b", "main")
    path = registry / "entries" / "cert-network.yaml"
    good = path.read_text()
    path.write_text("!!python/object/apply:os.system ['echo pwned > " + str(tmp_path / "pwned") + "']\n")
    git(registry, "add", "-A")
    git(registry, "commit", "-qm", "hostile")
    git(registry, "tag", "published-1")
    path.write_text(good)
    done = build(registry, "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "pwned").exists()
    assert "Regional CERT Network (cert-network): the previous version could not be read" in (tmp_path / "out" / "changes.md").read_text()


def test_not_a_repository_is_a_first_publication(registry, tmp_path):
    done = build(registry, "--out", str(tmp_path / "out"), env={"GIT_CEILING_DIRECTORIES": str(registry.parent)})
    assert done.returncode == 0, done.stderr
    assert "first publication" in (tmp_path / "out" / "changes.md").read_text()
