"""Findings as people and machines read them: text, JSON and GitHub
workflow commands (annotations)."""

from __future__ import annotations

import json

from bot.findings import ERROR, INFO, WARNING, count_by_severity, sort_findings


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def summary_line(findings, files_with, files_checked: int, seconds: float | None = None, pending: int = 0) -> str:
    counts = count_by_severity(findings)
    parts = [plural(counts[ERROR], "error"), plural(counts[WARNING], "warning")]
    if counts[INFO]:
        parts.append(plural(counts[INFO], "note"))
    text = ", ".join(parts)
    if findings:
        text += f" in {plural(files_with, 'file')}"
    detail = f"{plural(files_checked, 'file')} checked"
    if seconds is not None:
        detail += f" in {seconds:.2f} s"
    text += f" ({detail})"
    if pending:
        text += f"; {plural(pending, 'entry')} awaiting verification".replace("entrys", "entries")
    return text


def format_text(findings, sources: dict[str, str] | None = None, *, context: bool = True) -> str:
    """``PATH:LINE:COL: SEVERITY RULE message``, then the source line, a caret
    span under the problem and the suggestion, indented."""
    lines = []
    cache: dict[str, list[str]] = {}
    for f in sort_findings(findings):
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule}  {_one_line(f.message)}")
        if not context:
            continue
        source = None
        if sources is not None and f.path in sources:
            if f.path not in cache:
                cache[f.path] = sources[f.path].splitlines()
            source_lines = cache[f.path]
            if 0 < f.line <= len(source_lines):
                source = source_lines[f.line - 1]
        if source is not None and source.strip():
            shown = source.expandtabs(1)
            lines.append(f"    {_printable(shown)}")
            end = f.end_column if f.end_line == f.line else len(shown) + 1
            width = max(1, min(end, len(shown) + 1) - f.column)
            lines.append("    " + " " * (f.column - 1) + "^" * width)
        if f.suggestion:
            suggestion = f.suggestion.replace("\n", "\n" + " " * 16)
            lines.append(f"    suggestion: {suggestion}")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _printable(text: str) -> str:
    """Show invisible characters as escapes so a terminal is not fooled."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 32 and ch != "\t" or 0x7F <= code <= 0x9F or 0x200B <= code <= 0x200F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code == 0xFEFF:
            out.append(f"<U+{code:04X}>")
        else:
            out.append(ch)
    return "".join(out)


def format_json(findings) -> str:
    return json.dumps([f.to_dict() for f in sort_findings(findings)], ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "notice"}


def format_github(findings) -> str:
    """GitHub Actions workflow commands. Every value is escaped as GitHub
    requires, so text from a YAML file cannot end the command early or start
    another one."""
    out = []
    for f in sort_findings(findings):
        props = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("file", f.path),
                ("line", f.line),
                ("col", f.column),
                ("endLine", f.end_line),
                ("endColumn", f.end_column),
                ("title", f.rule),
            )
        )
        message = f.message + (f"\nsuggestion: {f.suggestion}" if f.suggestion else "")
        out.append(f"::{_GITHUB_LEVEL.get(f.severity, 'notice')} {props}::{_escape_data(message)}")
    return "\n".join(out)
