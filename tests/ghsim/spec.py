"""Cached fetch of GitHub's published API descriptions from the npm registry.

Both packages are large (``@octokit/openapi`` unpacks to ~385 MB), so we never
``npm install`` them: ``npm pack`` downloads the tarball into a temporary
directory, and only the one file we need is extracted into ``tests/.cache/``
(gitignored). Later runs reuse the cached file and need neither npm nor the
network.

Environment:
  GHSIM_CACHE_DIR   where extracted files live (default: tests/.cache)
  GHSIM_OPENAPI     path to an already-extracted api.github.com.json (skips npm)
  GHSIM_WEBHOOKS    path to an already-extracted webhooks-examples index.json
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

OPENAPI_PACKAGE = "@octokit/openapi"
OPENAPI_VERSION = "23.0.2"
OPENAPI_MEMBER = "package/generated/api.github.com.json"

WEBHOOKS_PACKAGE = "@octokit/webhooks-examples"
WEBHOOKS_VERSION = "7.6.1"
WEBHOOKS_MEMBER = "package/api.github.com/index.json"

_DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache"


class SpecUnavailable(RuntimeError):
    """The file is not cached and could not be fetched (no npm, no registry)."""


def cache_dir() -> Path:
    return Path(os.environ.get("GHSIM_CACHE_DIR") or _DEFAULT_CACHE)


def _fetch(package: str, version: str, member: str, filename: str) -> Path:
    target = cache_dir() / filename
    if target.is_file() and target.stat().st_size > 0:
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise SpecUnavailable(f"npm is not installed: cannot fetch {package}@{version}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ghsim-npm-") as tmp:
        try:
            proc = subprocess.run(
                [npm, "pack", f"{package}@{version}", "--silent", "--pack-destination", tmp],
                cwd=tmp, capture_output=True, text=True, timeout=300,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpecUnavailable(f"npm pack {package}@{version} failed: {exc}") from exc
        tarballs = list(Path(tmp).glob("*.tgz"))
        if proc.returncode != 0 or not tarballs:
            raise SpecUnavailable(
                f"npm pack {package}@{version} failed (exit {proc.returncode}): "
                f"{proc.stderr.strip()[-500:]}"
            )
        with tarfile.open(tarballs[0]) as tar:
            try:
                src = tar.extractfile(member)
            except KeyError as exc:
                raise SpecUnavailable(f"{member} not in {package}@{version}") from exc
            assert src is not None
            # Write atomically so a concurrent or interrupted run never sees half a file.
            partial = target.with_suffix(target.suffix + ".part")
            with open(partial, "wb") as out:
                shutil.copyfileobj(src, out)
            os.replace(partial, target)
    return target


def openapi_spec_path() -> Path:
    """Path to GitHub's OpenAPI 3.0 description (api.github.com.json), fetched once."""
    override = os.environ.get("GHSIM_OPENAPI")
    if override:
        return Path(override)
    return _fetch(OPENAPI_PACKAGE, OPENAPI_VERSION, OPENAPI_MEMBER,
                  f"octokit-openapi-{OPENAPI_VERSION}-api.github.com.json")


def webhook_examples_path() -> Path:
    """Path to @octokit/webhooks-examples' api.github.com/index.json, fetched once."""
    override = os.environ.get("GHSIM_WEBHOOKS")
    if override:
        return Path(override)
    return _fetch(WEBHOOKS_PACKAGE, WEBHOOKS_VERSION, WEBHOOKS_MEMBER,
                  f"octokit-webhooks-examples-{WEBHOOKS_VERSION}-index.json")
