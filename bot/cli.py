"""Command line: ``python -m bot COMMAND``.

Exit status, the same for every command: 0 when there is no error (warnings
allowed), 1 when a contribution has at least one error, 2 for a usage or
internal failure. No traceback reaches the user unless BOT_DEBUG=1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bot import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2


class UsageError(Exception):
    """A problem with how the command was called, or with the registry's own
    files: reported in one line, exit status 2."""


def _add_root(parser):
    parser.add_argument("--root", type=Path, help="the registry folder (default: found from the current folder)")


def _project(args):
    from bot.project import ProjectError, find_project

    try:
        return find_project(args.root) if args.root else find_project()
    except ProjectError as exc:
        raise UsageError(str(exc)) from None


def load_context(args, *, wording=True, lazy=False, materialise=None):
    """``lazy``: see ``Context.load``. ``materialise(ctx)``: called inside
    the same error handling, returns whether to make the lazy parts now."""
    from bot.registry import Context
    from bot.schema import SchemaError
    from bot.vocabularies import VocabularyError

    project = _project(args)
    try:
        ctx = Context.load(project, wording=wording, lazy=lazy)
        if lazy and (materialise is None or materialise(ctx)):
            ctx.materialise()
        return ctx
    except VocabularyError as exc:
        raise RegistryBroken(exc.findings) from None
    except SchemaError as exc:
        raise UsageError(f"the registry's schema is broken: {exc}") from None
    except Exception as exc:
        # The wording rules are the chairs' data, like the vocabularies: a problem
        # in them is a finding in that file, not a bug in the tools.
        from bot.neutrality import RulesError

        if not isinstance(exc, RulesError):
            raise
        raise RegistryBroken([_rules_finding(project, exc)]) from None


def _rules_finding(project, exc):
    from bot.findings import ERROR, Finding

    path = Path(exc.path)
    try:
        display = path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        display = str(path)
    line = exc.line or 1
    return Finding(
        path=display,
        line=line,
        column=1,
        end_line=line,
        end_column=1,
        severity=ERROR,
        rule="neutrality/rules-file",
        message=f"the wording rules file has a problem: {exc.problem}",
        suggestion="fix this line of the rules file (its header explains how a term is written); "
        "no entry is checked until it loads",
    )


class RegistryBroken(Exception):
    """The registry's own data files (vocabularies, rules) have problems:
    shown as findings, exit status 1."""

    def __init__(self, findings):
        super().__init__(f"{len(findings)} problems in the registry's data files")
        self.findings = findings


# ---------------------------------------------------------------------------
# check


def cmd_check(args) -> int:
    from bot.report import format_github, format_json, format_text, summary_line

    started = time.perf_counter()
    caches = []

    def cold(ctx):
        # The cache is keyed by the schema and rules: if it has results for
        # them, they were valid when it was written; otherwise check them now.
        if args.no_cache:
            return True
        from bot.checkcache import Cache

        caches.append(Cache.open(ctx.project.root, ctx))
        return caches[0] is None or not caches[0].entries

    try:
        ctx = load_context(args, wording=not args.no_wording, lazy=True, materialise=cold)
    except RegistryBroken as exc:
        _print_findings(args.format, exc.findings, None)
        return EXIT_FINDINGS
    from bot.registry import check_paths

    for path in args.paths:
        if not Path(path).exists():
            raise UsageError(f"{path}: no such file or folder")
    result = check_paths(ctx, args.paths or None, jobs=args.jobs, want_data=False, cache=caches[0] if caches else None)
    findings = result.findings
    if args.format == "json":
        print(format_json(findings))
    elif args.format == "github":
        out = format_github(findings)
        if out:
            print(out)
        _github_summary(result)
    else:
        sources = {c.doc.path: c.doc.text for c in result.files}
        out = format_text(findings, sources)
        if out:
            print(out)
            print()
        files_with = len({f.path for f in findings})
        print(
            summary_line(
                findings,
                files_with,
                len(result.files),
                time.perf_counter() - started,
                pending=len(result.pending_verification),
            )
        )
    return EXIT_FINDINGS if result.errors else EXIT_OK


def _print_findings(fmt, findings, sources):
    from bot.report import format_github, format_json, format_text

    if fmt == "json":
        print(format_json(findings))
    elif fmt == "github":
        print(format_github(findings))
    else:
        print(format_text(findings, sources))


def _github_summary(result):
    """A short Markdown summary for the job page, when run in Actions."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from bot.findings import count_by_severity

    counts = count_by_severity(result.findings)
    lines = [
        "### Registry check",
        "",
        f"{len(result.files)} files checked: **{counts['error']} errors**, {counts['warning']} warnings.",
        "",
        "This check runs the pull request's own code, so it is advisory; the registry bot re-checks with the default branch's code.",
    ]
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    except OSError:
        pass


# ---------------------------------------------------------------------------
# schema


def cmd_schema(args) -> int:
    ctx = load_context(args, wording=False)
    print(json.dumps(ctx.schema, indent=2, ensure_ascii=False))
    return EXIT_OK


# ---------------------------------------------------------------------------


def build_parser(*, optional_commands: bool | str = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Registry of Internet-governance cooperation mechanisms: checks, review bot and publishing.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check entries (default: the whole registry)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check (default: entries/)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("--no-wording", action="store_true", help="skip the neutral-wording flags")
    check.add_argument("--jobs", type=int, default=None, metavar="N", help="processes to check with (default: one per core)")
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="do not use or write the results cache (.cache/registry-check/, keyed by each file's content)",
    )
    _add_root(check)
    check.set_defaults(func=cmd_check)

    schema = sub.add_parser("schema", help="print the entry schema with the vocabularies filled in")
    _add_root(schema)
    schema.set_defaults(func=cmd_schema)

    if optional_commands == "build":
        _add_build(sub)
    elif optional_commands:
        _add_optional_commands(sub)
    return parser


def _add_optional_commands(sub):
    """Commands that live in their own packages."""
    from bot.neutrality import cli as neutrality_cli

    neutrality = sub.add_parser("neutrality", help="flag non-neutral wording in a text file, one text per line")
    neutrality_cli.add_arguments(neutrality)
    _add_root(neutrality)
    neutrality.set_defaults(func=neutrality_cli.run)

    _add_build(sub)

    from bot import app

    app.add_parsers(sub, _add_root)

    from bot.intake import command as intake_command

    intake_command.add_parsers(sub, _add_root)


def _add_build(sub):
    from bot.site import cli as site_cli

    build = sub.add_parser("build", help="build the published mapping (web page, Markdown, CSV, JSON)")
    site_cli.add_arguments(build)
    _add_root(build)
    build.set_defaults(func=site_cli.run)


# Commands that need none of the optional packages: for them the parser is
# built without importing the bot, the site and the matcher's CLI (a quarter
# of a second at start, which a one-file check would pay every time).
_CORE_COMMANDS = ("check", "schema")


def main(argv=None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    first = words[0] if words else None
    # `build` needs only the site package (not the bot, intake and matcher
    # CLIs: a quarter of a second at start).
    parser = build_parser(optional_commands="build" if first == "build" else first not in _CORE_COMMANDS)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_FAILURE
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except RegistryBroken as exc:
        # (check prints these as its findings; other commands cannot go on without the data)
        print("error: the registry's own data files have problems; fix them first:", file=sys.stderr)
        for f in exc.findings:
            print(f"  {f.path}:{f.line}:{f.column}: {f.message}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_FAILURE
    except Exception as exc:  # the tool failed, not the contribution
        if os.environ.get("BOT_DEBUG") == "1":
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} (this is a bug in the registry tools, not in your entry; "
            "run again with BOT_DEBUG=1 for details and report it)",
            file=sys.stderr,
        )
        return EXIT_FAILURE
