"""Findings: every problem in a contribution is data, never an exception.

One shape everywhere (the `check` command, the `neutrality` command, the bot):
`path`, `line`, `column`, `end_line`, `end_column`, `severity`, `rule`, `message`
and, where they apply, `suggestion`, `category`, `match`. Lines and columns are
1-based, columns count characters (code points) and the end is exclusive.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True, order=True)
class Span:
    """A region of a file: 1-based line and column, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int, width: int = 1) -> "Span":
        return cls(line, column, line, column + max(width, 1))


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: str
    rule: str
    message: str
    suggestion: str | None = None
    category: str | None = None
    match: str | None = None
    # Where in the entry the problem is, as a tuple of keys/indexes; not part
    # of the public JSON shape, used by the bot to name fields in plain words.
    field_path: tuple = field(default=(), compare=False)

    @classmethod
    def at(
        cls,
        path: str,
        span: Span,
        severity: str,
        rule: str,
        message: str,
        **extra,
    ) -> "Finding":
        return cls(
            path=path,
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            severity=severity,
            rule=rule,
            message=message,
            **extra,
        )

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.end_line, self.end_column)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self):
        return (self.path, self.line, self.column, _SEVERITY_ORDER.get(self.severity, 9), self.rule)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("field_path")
        for key in ("suggestion", "category", "match"):
            if data[key] is None:
                del data[key]
        return data


def sort_findings(findings) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def count_by_severity(findings) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts
