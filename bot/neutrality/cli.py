"""`python -m bot neutrality [--format text|json] FILE|-`

Every non-empty input line is checked as a separate text; `line` in a finding is the
input line number. Exit 0 when nothing is flagged, 1 when something is (a `warning`;
`info` flags on reported speech are shown but do not count), 2 for a usage or internal
failure (a one-line message on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys

from bot.findings import INFO, Finding, sort_findings

from .rules import RulesError, load_rules
from .scan import scan

EXIT_CLEAN, EXIT_FLAGGED, EXIT_FAILURE = 0, 1, 2
STDIN_NAME = "<stdin>"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE|-", help="text to check, one text per line; - reads standard input")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--rules", metavar="PATH", default=None, help="rules file (default: schema/neutrality/rules.yaml)")
    parser.add_argument(
        "--name",
        dest="names",
        action="append",
        default=[],
        metavar="PHRASE",
        help="a proper name that is not an opinion (repeatable): the entry's name, acronym, organisations",
    )


def findings_for_lines(lines, path, rules, proper_names=()) -> list[Finding]:
    findings = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        for flag in scan(line, rules=rules, proper_names=proper_names):
            findings.append(
                Finding(
                    path=path,
                    line=number,
                    column=flag.start + 1,
                    end_line=number,
                    end_column=flag.end + 1,
                    severity=flag.severity,
                    rule=flag.rule,
                    message=flag.message,
                    suggestion=flag.suggestion,
                    category=flag.category,
                    match=flag.match,
                )
            )
    return sort_findings(findings)


def _read(name: str) -> tuple[str, str]:
    if name == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
        return STDIN_NAME, data.decode("utf-8-sig")
    with open(name, "rb") as fh:
        return name, fh.read().decode("utf-8-sig")


def _plain(text: str) -> str:
    return " ".join(text.split())


def format_text(findings, lines_checked: int) -> str:
    out = []
    for f in findings:
        out.append(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule}  {_plain(f.message)}")
        if f.suggestion:
            out.append(f"    suggestion: {_plain(f.suggestion)}")
    counted = sum(1 for f in findings if f.severity != INFO)
    noted = len(findings) - counted
    texts = f"{lines_checked} text{'s' if lines_checked != 1 else ''} checked"
    if not findings:
        out.append(f"No wording to look at ({texts}).")
    else:
        parts = [f"{counted} phrase{'s' if counted != 1 else ''} to look at"]
        if noted:
            parts.append(f"{noted} in reported speech (info)")
        out.append(f"{', '.join(parts)} ({texts}).")
    return "\n".join(out)


def run(args) -> int:
    try:
        try:
            path, content = _read(args.file)
        except IsADirectoryError:
            return _fail(f"cannot read {args.file}: it is a folder, not a file")
        except FileNotFoundError:
            return _fail(f"cannot read {args.file}: no such file")
        except PermissionError:
            return _fail(f"cannot read {args.file}: permission denied")
        except UnicodeDecodeError as exc:
            return _fail(f"cannot read {args.file}: not UTF-8 text (byte {exc.start})")
        except OSError as exc:
            return _fail(f"cannot read {args.file}: {exc.strerror or exc}")
        rules = load_rules(getattr(args, "rules", None))
        lines = content.splitlines()
        findings = findings_for_lines(lines, path, rules, tuple(getattr(args, "names", None) or ()))
        if getattr(args, "format", "text") == "json":
            sys.stdout.write(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2) + "\n")
        else:
            checked = sum(1 for line in lines if line.strip())
            sys.stdout.write(format_text(findings, checked) + "\n")
        return EXIT_FLAGGED if any(f.severity != INFO for f in findings) else EXIT_CLEAN
    except RulesError as exc:
        return _fail(f"rules file problem: {exc}")
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as exc:  # noqa: BLE001 - the contract: a message, never a traceback
        return _fail(f"internal error in the wording checker: {type(exc).__name__}: {exc}")


def _fail(message: str) -> int:
    print(f"neutrality: {_plain(message)}", file=sys.stderr)
    return EXIT_FAILURE


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot neutrality", description=__doc__.splitlines()[0])
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own one-line usage error
        return EXIT_FAILURE if exc.code else EXIT_CLEAN
    return run(args)
