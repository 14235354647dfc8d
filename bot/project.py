"""Where the registry's files are: entries, schema, vocabularies, rules, governance."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENTRIES_DIR = "entries"
SCHEMA_FILE = "schema/entry.schema.json"
VOCABULARY_DIR = "schema/vocabularies"
NEUTRALITY_RULES = "schema/neutrality/rules.yaml"
GOVERNANCE_FILE = ".github/governance.yml"
ENTRY_SUFFIX = ".yaml"


class ProjectError(Exception):
    """The registry itself (not a contribution) is missing or broken."""


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def entries_dir(self) -> Path:
        return self.root / ENTRIES_DIR

    @property
    def schema_path(self) -> Path:
        return self.root / SCHEMA_FILE

    @property
    def vocabulary_dir(self) -> Path:
        return self.root / VOCABULARY_DIR

    @property
    def rules_path(self) -> Path:
        return self.root / NEUTRALITY_RULES

    @property
    def governance_path(self) -> Path:
        return self.root / GOVERNANCE_FILE

    def relative(self, path: Path) -> str:
        """A path as shown to people: relative to the root when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def relative_many(self, paths) -> list[str]:
        """``relative`` for many paths, resolving each folder once.

        ``path.resolve()`` is ``realpath(folder)/name`` when the file itself
        is not a symbolic link (and its name is not ``..``), so only those
        files, and the folders, are resolved in full: the same answers as
        ``relative``, without a dozen system calls per file."""
        root = os.path.realpath(self.root)
        prefix = root.rstrip(os.sep) + os.sep
        folders: dict = {}
        out = []
        for path in paths:
            text = os.fspath(path)
            folder, name = os.path.split(text)
            if name in ("", ".", "..") or os.path.islink(text):
                out.append(self.relative(Path(path)))
                continue
            real = folders.get(folder)
            if real is None:
                real = folders[folder] = os.path.realpath(folder or ".")
            full = os.path.join(real, name)
            if full.startswith(prefix):
                out.append(full[len(prefix) :].replace(os.sep, "/"))
            elif full == root:
                out.append(".")
            else:
                out.append(str(path))
        return out

    def entry_files_shown(self) -> tuple[list[Path], list[str]]:
        """``entry_files()`` and their ``relative_many()`` names, from one
        listing of the folder (a symbolic link is resolved in full)."""
        files = self.entry_files()
        folder = os.path.realpath(self.entries_dir)
        root = os.path.realpath(self.root).rstrip(os.sep) + os.sep
        if not folder.startswith(root):
            return files, self.relative_many(files)
        base = folder[len(root) :].replace(os.sep, "/") + "/"
        links = set(self._links)
        return files, [self.relative(p) if p.name in links else base + p.name for p in files]

    def entry_files(self) -> list[Path]:
        folder = self.entries_dir
        try:
            with os.scandir(folder) as listing:
                found = [e for e in listing if _suffix(e.name) in (".yaml", ".yml") and e.is_file()]
        except (FileNotFoundError, NotADirectoryError):
            object.__setattr__(self, "_links", ())
            return []
        names = sorted(e.name for e in found)
        object.__setattr__(self, "_links", tuple(e.name for e in found if e.is_symlink()))
        return [folder / name for name in names]


def _suffix(name: str) -> str:
    """``PurePath(name).suffix``, without making a path."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def find_project(start: Path | None = None) -> Project:
    """The registry at ``start`` (an explicit --root), or else the one
    containing the working directory, or else the one this package is in."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents) if start is None else (here,):
        if (candidate / SCHEMA_FILE).is_file():
            return Project(candidate)
    package_root = Path(__file__).resolve().parent.parent
    if start is None and (package_root / SCHEMA_FILE).is_file():
        return Project(package_root)
    raise ProjectError(
        f"no registry found: looked for {SCHEMA_FILE} in {here} and its parents; run the command inside the registry or pass --root"
        if start is None
        else f"{start} is not a registry: it has no {SCHEMA_FILE}"
    )
