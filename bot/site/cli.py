"""``python -m bot build``: the published mapping.

Exit status:
- 0: every entry is valid and the site was written;
- 1: some entries have errors (or the registry's vocabularies are broken).
  Entries with errors are left out; the rest is still written to ``--out``
  so it can be looked at, with a notice at the top of every page naming
  what was left out; each is listed on stderr with why. The publish
  workflow stops on this status, so an incomplete mapping is never
  published, silently or otherwise;
- 2: usage or internal failure, one line on stderr, never a traceback
  (unless BOT_DEBUG=1).
"""

from __future__ import annotations

import datetime
import gc
import os
import sys
import time
from pathlib import Path

from bot.cli import UsageError

EXIT_OK, EXIT_ERRORS, EXIT_FAILURE = 0, 1, 2
DEFAULT_OUT = "site"


def add_arguments(parser) -> None:
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help=f"where to write the site (default: {DEFAULT_OUT}/ in the registry)")
    parser.add_argument(
        "--since",
        metavar="REF",
        default=None,
        help="git tag or commit to list changes since (default: the newest published-* tag; none: first publication)",
    )
    parser.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        default=None,
        help="GitHub repository for the history and 'propose a correction' links (default: $GITHUB_REPOSITORY; none: links left out)",
    )
    parser.add_argument("--branch", default=None, metavar="NAME", help="the default branch, for history links (default: main)")
    parser.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="the publication date shown (default: today, UTC, or $SOURCE_DATE_EPOCH)")
    parser.add_argument("--quiet", action="store_true", help="print only problems")


class _Failure(UsageError):
    """One-line message, exit status 2."""


def _today(value: str | None) -> str:
    if value:
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise _Failure(f"--date {value}: not a date of the form YYYY-MM-DD") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def run(args) -> int:
    # The build makes millions of objects that live to the end (entries,
    # rows, page parts) and few reference cycles: the cyclic collector's
    # repeated full passes over them were ~7% of the time. Off for the
    # build (also in the forked workers), back on afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if collecting:
            gc.enable()


def _run(args) -> int:
    from bot.findings import ERROR, sort_findings
    from bot.project import SCHEMA_FILE, ProjectError, find_project
    from bot.registry import Context, check_paths
    from bot.report import format_text, plural
    from bot.schema import SchemaError
    from bot.site import history
    from bot.site.render import Omitted, Repository, SiteData, write_site
    from bot.site.workers import Workers
    from bot.vocabularies import VocabularyError

    started = time.perf_counter()
    date = _today(getattr(args, "date", None))
    root = getattr(args, "root", None)
    try:
        project = find_project(Path(root)) if root else find_project()
    except ProjectError as exc:
        raise _Failure(str(exc)) from None
    if root and not Path(root).resolve().is_relative_to(project.root.resolve()):
        # An explicit --root never falls back to the registry the tools came with.
        raise _Failure(f"--root {root}: no registry there (no {SCHEMA_FILE})")
    try:
        repo = Repository.parse(args.repo or os.environ.get("GITHUB_REPOSITORY"), args.branch)
    except ValueError as exc:
        raise _Failure(f"--repo: {exc}") from None
    try:
        ctx = Context.load(project, wording=False)  # wording flags are for reviewers, they never block publication
    except VocabularyError as exc:
        print(format_text(exc.findings, context=False), file=sys.stderr)
        print("error: the registry's vocabularies have errors; nothing was built", file=sys.stderr)
        return EXIT_ERRORS
    except SchemaError as exc:
        raise _Failure(f"the registry's schema is broken: {exc}") from None

    with Workers(ctx) as workers:
        result = check_paths(ctx, want_data=False, runner=workers.check)
        errors_by_path: dict[str, list] = {}
        for finding in result.findings:
            if finding.severity == ERROR:
                errors_by_path.setdefault(finding.path, []).append(finding)
        rows, omitted = [], []
        for checked in result.files:
            path = checked.doc.path
            if path in errors_by_path:
                found = sort_findings(errors_by_path[path])
                omitted.append(Omitted(path, tuple(f"line {f.line}: {f.message}" for f in found[:3]) + (("…",) if len(found) > 3 else ())))
                continue
            rows.append(workers.rows[path])
        workers.rows.clear()

        current = {row.id: row.data for row in rows}
        try:
            changelog = history.changelog(project.root, args.since, current)
        except history.HistoryError as exc:
            raise _Failure(str(exc)) from None

        out = args.out if args.out is not None else project.root / DEFAULT_OUT
        try:
            write_site(SiteData(rows, ctx.vocabularies, changelog, date, repo, omitted), Path(out), pages=workers.pages)
        except OSError as exc:
            raise _Failure(f"cannot write the site to {out}: {exc.strerror or exc}") from None

    seconds = time.perf_counter() - started
    if not args.quiet:
        pending = sum(1 for r in rows if r.pending)
        since = "first publication" if changelog.first else (
            f"since {changelog.since}: {len(changelog.added)} added, {len(changelog.changed)} changed, {len(changelog.removed)} removed"
        )
        print(
            f"built {out}: {plural(len(rows), 'mechanism')} ({pending} awaiting verification); changes {since}; "
            f"{'no repository: history and correction links left out; ' if repo is None else ''}{seconds:.2f} s"
        )
    if omitted:
        findings = [f for item in omitted for f in errors_by_path[item.path]]
        print(format_text(findings, context=False), file=sys.stderr)
        word = "entry" if len(omitted) == 1 else "entries"
        print(
            f"error: {len(omitted)} {word} with errors left out of {out} ({', '.join(o.path for o in omitted[:5])}"
            f"{', …' if len(omitted) > 5 else ''}); fix them before publishing (run `python -m bot check` for details)",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    return EXIT_OK
