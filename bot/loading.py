"""The hostile-input YAML loader: any bytes in, an entry tree or findings out.

We never let a YAML library *construct* objects from a contribution. The parser
only produces events (with their positions); this module builds plain data from
them itself, so that:

- explicit tags (``!!python/object``...) are refused and never constructed;
- anchors and aliases are refused when they are *seen*: nothing is ever
  expanded, so an alias bomb costs nothing;
- duplicate keys, directives, several documents, non-scalar keys and deep
  nesting are findings with the exact line and column;
- plain scalars resolve with the YAML 1.2 core schema, except that timestamps
  stay strings (an unquoted ``2026-01-15`` is the string ``"2026-01-15"``; the
  schema checks it is a real date).

The C parser of ``ruamel.yaml.clib`` is used when installed (about 4x faster);
the pure-Python parser of ruamel.yaml is the fallback. Both give the same events.
"""

from __future__ import annotations

import bisect
import os
import re
import unicodedata
from dataclasses import dataclass, field

from bot.findings import ERROR, Finding, Span

try:  # pragma: no cover - depends on the installed extra
    from _ruamel_yaml import CParser as _CParser
except ImportError:  # pragma: no cover
    _CParser = None

MAX_BYTES = 64 * 1024
MAX_DEPTH = 16
MAX_FINDINGS_PER_KIND = 10

# Characters that must not appear anywhere in an entry: C0/C1 controls other
# than tab and line breaks, and the Unicode bidirectional controls used in
# "Trojan Source" attacks, plus zero-width characters that hide text.
_FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


@dataclass(eq=False)
class Node:
    """A value in the YAML tree, with where it is in the source text.

    ``start``/``end`` are 0-based character offsets into the decoded text;
    ``line``/``column`` are 1-based. For mappings, ``keys`` holds the key
    nodes, in the same order as ``value``.
    """

    kind: str  # "scalar" | "mapping" | "sequence"
    value: object
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    style: str | None = None
    keys: dict = field(default_factory=dict)  # mapping only: key -> key Node
    items: list = field(default_factory=list)  # sequence: item Nodes; mapping: value Nodes by key order

    @property
    def span(self) -> Span:
        if self.end_line < self.line or (self.end_line == self.line and self.end_column <= self.column):
            # empty value, or a collection whose end is not parsed yet
            return Span(self.line, self.column, self.line, self.column + 1)
        return Span(self.line, self.column, self.end_line, self.end_column)

    def child(self, key):
        """The node of a mapping value or sequence item, or None."""
        if self.kind == "mapping":
            for k, node in zip(self.keys, self.items):
                if k == key:
                    return node
            return None
        if self.kind == "sequence" and isinstance(key, int) and 0 <= key < len(self.items):
            return self.items[key]
        return None

    def key_node(self, key):
        return self.keys.get(key) if self.kind == "mapping" else None


@dataclass
class Document:
    """A parsed YAML file: its text, data, node tree, and problems found."""

    path: str
    text: str
    data: object = None
    root: Node | None = None
    findings: list = field(default_factory=list)
    _line_starts: list | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def node_at(self, path) -> Node | None:
        """The deepest node along a JSON path (keys and indexes)."""
        node = self.root
        for part in path:
            if node is None:
                return None
            nxt = node.child(part)
            if nxt is None:
                return node
            node = nxt
        return node

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a 0-based character offset."""
        if self._line_starts is None:
            self._line_starts = line_starts(self.text)
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def text_span(self, node: Node, start: int, end: int) -> Span:
        """Where characters ``start:end`` of a scalar's *value* are in the file.

        Correct for plain, single- and double-quoted, literal and folded
        scalars: the value is aligned with its source, skipping what YAML
        removes (quotes, indentation, folded line breaks, escapes, the block
        header). Falls back to the whole scalar if alignment fails.
        """
        offsets = scalar_offsets(self.text, node)
        value = node.value if isinstance(node.value, str) else str(node.value)
        if offsets is None or not 0 <= start < end <= len(value):
            return node.span
        line, column = self.position(offsets[start])
        end_line, end_column = self.position(offsets[end - 1])
        return Span(line, column, end_line, end_column + 1)


def line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\r\n|\r|\n", text):
        starts.append(match.end())
    return starts


# ---------------------------------------------------------------------------
# Decoding and pre-parse checks


def decode(path: str, raw: bytes, doc: Document) -> str | None:
    """Bytes to text, or a finding that says where the bad byte is."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        doc.findings.append(
            Finding.at(
                path,
                Span.point(line, column),
                ERROR,
                "yaml/encoding",
                f"the file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x} at byte offset {exc.start})",
                suggestion="save the file as UTF-8 (in most editors: 'Save with encoding' -> UTF-8)",
            )
        )
        return None


def precheck(doc: Document) -> None:
    """Problems that are cheapest and clearest to report before parsing."""
    text = doc.text
    # Tabs used for indentation: YAML forbids them, parsers report it badly.
    tabs = 0
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            tabs += 1
            if tabs <= MAX_FINDINGS_PER_KIND:
                column = line.index("\t") + 1
                doc.findings.append(
                    Finding.at(
                        doc.path,
                        Span.point(line=number, column=column),
                        ERROR,
                        "yaml/tab",
                        "a tab character is used for indentation; YAML only allows spaces",
                        suggestion="replace the tab at the start of the line with spaces",
                    )
                )
    count = 0
    for match in _FORBIDDEN_CHARS.finditer(text):
        count += 1
        if count > MAX_FINDINGS_PER_KIND:
            break
        char = match.group()
        line, column = doc.position(match.start())
        name = unicodedata.name(char, "control character")
        doc.findings.append(
            Finding.at(
                doc.path,
                Span.point(line, column),
                ERROR,
                "yaml/forbidden-character",
                f"invisible or control character U+{ord(char):04X} ({name.lower()}) is not allowed",
                suggestion="delete it; it can hide or reorder text when the entry is displayed",
            )
        )


# ---------------------------------------------------------------------------
# Parsing


def _events(text: str):
    if _CParser is not None:
        parser = _CParser(text)
        while True:
            event = parser.get_event()
            if event is None:
                return
            yield event
    else:  # pragma: no cover - exercised when the C extension is absent
        from ruamel.yaml import YAML

        yield from YAML(typ="safe", pure=True).parse(text)


def resolve_plain(value: str):
    """YAML 1.2 core schema for plain scalars; timestamps stay strings."""
    if value in _NULLS:
        return None
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    first = value[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(value):
            return int(value)
        if _OCT.match(value):
            return int(value[2:], 8)
        if _HEX.match(value):
            return int(value[2:], 16)
        if _FLOAT.match(value) and value not in {".", "+.", "-."}:
            return float(value)
        if _INF.match(value):
            return float("-inf") if value.startswith("-") else float("inf")
        if _NAN.match(value):
            return float("nan")
    return value


_SYNTAX_HINTS = (
    ("mapping values are not allowed", "a value contains ': ' (colon and space); put the whole value in double quotes"),
    ("could not find expected ':'", "a line is missing its ':' after the field name, or a quoted value is not closed"),
    ("found unexpected end of stream", "a quote or bracket is opened but never closed"),
    ("did not find expected key", "check the indentation: fields of the same level must start in the same column"),
    ("did not find expected '-' indicator", "check the indentation of the list items: each '- ' must start in the same column"),
    ("found unexpected ':'", "a value contains a colon; put the whole value in double quotes"),
    ("found character that cannot start any token", "a value starts with a character YAML reserves (such as @ or `); put the value in double quotes"),
    ("found undefined tag handle", "remove the '!' tag; entries use plain values only"),
    ("did not find expected node content", "a value is missing or a bracket is not closed"),
    ("did not find expected ',' or ']'", "a list written with [ ] is not closed, or an item contains a comma; quote the item"),
    ("did not find expected ',' or '}'", "a mapping written with { } is not closed"),
    ("found a tab character", "replace tabs with spaces"),
    ("block sequence entries are not allowed", "a '- ' list item is on the same line as its field; move it to the next line"),
)


def _syntax_finding(path: str, exc) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = (mark.line + 1) if mark is not None else 1
    column = (mark.column + 1) if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"the file is not valid YAML: {problem}"
    if context:
        message += f" ({context})"
    suggestion = next((hint for key, hint in _SYNTAX_HINTS if key in problem), None)
    return Finding.at(path, Span.point(line, column), ERROR, "yaml/syntax", message, suggestion=suggestion)


class _TooDeep(Exception):
    pass


_READER_REJECTS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def parse(doc: Document) -> None:
    """Parse ``doc.text`` into ``doc.root``/``doc.data``, adding findings."""
    text = doc.text
    if _READER_REJECTS.search(text):
        # Already reported by precheck; blank them (same length, so positions
        # hold) so that the rest of the file is still checked.
        text = _READER_REJECTS.sub(" ", text)
    path = doc.path
    findings = doc.findings

    def span_of(event) -> Span:
        s, e = event.start_mark, event.end_mark
        return Span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)

    refused: dict[str, int] = {}

    def refuse(event, rule, message, suggestion, span=None):
        refused[rule] = refused.get(rule, 0) + 1
        if refused[rule] > MAX_FINDINGS_PER_KIND:
            return  # the first ones say it; a bomb must not flood the report
        findings.append(Finding.at(path, span or span_of(event), ERROR, rule, message, suggestion=suggestion))

    documents = 0
    stack: list[list] = []  # frames: [node, pending_key_node_or_None]
    root = None
    try:
        for event in _events(text):
            name = type(event).__name__
            if name == "DocumentStartEvent":
                documents += 1
                if getattr(event, "version", None) or getattr(event, "tags", None):
                    refuse(
                        event,
                        "yaml/directive",
                        "YAML directives (%YAML, %TAG) are not allowed in entries",
                        "delete the lines that start with '%' and the '---' line after them",
                    )
                if documents == 2:
                    refuse(
                        event,
                        "yaml/multiple-documents",
                        "the file holds more than one YAML document; one entry per file",
                        "remove the '---' line and everything after it, or move it to its own file",
                    )
                continue
            if name in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
                continue
            if documents > 1:
                continue
            if name == "AliasEvent":
                refuse(
                    event,
                    "yaml/alias",
                    f"YAML aliases (*{event.anchor}) are not allowed in entries",
                    "write the value out in full instead of referring to an anchor",
                )
                node = _scalar_node(event, None, "", text)
                if stack:
                    _attach(stack, node, findings, path, text)
                else:
                    root = node
                continue
            if name.endswith("EndEvent"):  # MappingEnd / SequenceEnd
                frame = stack.pop()
                node = frame[0]
                node.end_line = event.end_mark.line + 1
                node.end_column = event.end_mark.column + 1
                node.end = event.end_mark.index
                if not stack:
                    root = node
                continue
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                refuse(
                    event,
                    "yaml/anchor",
                    f"YAML anchors (&{anchor}) are not allowed in entries",
                    f"delete '&{anchor}'",
                )
            tag = getattr(event, "tag", None)
            if tag is not None and not (name == "ScalarEvent" and tag == "!" and not event.implicit[0]):
                refuse(
                    event,
                    "yaml/tag",
                    f"explicit YAML tags ({tag}) are not allowed in entries",
                    "delete the tag (the word starting with '!'); write a plain value",
                )
            if name == "ScalarEvent":
                plain = event.style in (None, "") and tag is None
                value = resolve_plain(event.value) if plain else event.value
                node = _scalar_node(event, value, event.style or None, text)
                if not stack:
                    root = node
                else:
                    _attach(stack, node, findings, path, text)
                continue
            kind = "mapping" if name == "MappingStartEvent" else "sequence"
            if len(stack) >= MAX_DEPTH:
                refuse(
                    event,
                    "yaml/too-deep",
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    "entries need at most three levels; check for stray '[' or '{'",
                )
                raise _TooDeep
            node = Node(
                kind,
                {} if kind == "mapping" else [],
                event.start_mark.line + 1,
                event.start_mark.column + 1,
                0,
                0,
                event.start_mark.index,
                0,
                style="flow" if getattr(event, "flow_style", False) else None,
            )
            if stack:
                _attach(stack, node, findings, path, text)
            stack.append([node, None])
    except _TooDeep:
        doc.root = None
        return
    except Exception as exc:  # parser errors: MarkedYAMLError and friends
        if not hasattr(exc, "problem_mark") and not hasattr(exc, "problem"):
            if isinstance(exc, (RecursionError, MemoryError)):
                findings.append(
                    Finding.at(path, Span.point(1, 1), ERROR, "yaml/too-deep", "the file is too deeply nested to read")
                )
                return
            raise
        finding = _syntax_finding(path, exc)
        if not any(f.rule == "yaml/tab" and f.line == finding.line for f in findings):
            findings.append(finding)  # a tab already explains this one
        doc.root = None
        return
    doc.root = root
    doc.data = _to_data(root) if root is not None else None


def _scalar_node(event, value, style, text) -> Node:
    s, e = event.start_mark, event.end_mark
    return Node("scalar", value, s.line + 1, s.column + 1, e.line + 1, e.column + 1, s.index, e.index, style=style)


def _attach(stack, node: Node, findings, path, text) -> None:
    frame = stack[-1]
    parent = frame[0]
    if parent.kind == "sequence":
        parent.items.append(node)
        return
    if frame[1] is None:  # this node is a key
        if node.kind != "scalar":
            findings.append(
                Finding.at(
                    path,
                    node.span,
                    ERROR,
                    "yaml/complex-key",
                    "a field name must be a simple word, not a list or mapping",
                    suggestion="write the field name as plain text followed by ':'",
                )
            )
            frame[1] = (node, object())  # unique, unreachable key
            return
        key = node.value if isinstance(node.value, str) else (text[node.start : node.end] or str(node.value))
        if key in parent.keys:
            first = parent.keys[key]
            findings.append(
                Finding.at(
                    path,
                    node.span,
                    ERROR,
                    "yaml/duplicate-key",
                    f"`{key}` appears twice in the same mapping (first on line {first.line})",
                    suggestion=f"keep one `{key}` line and delete the other",
                )
            )
            frame[1] = (node, object())
            return
        frame[1] = (node, key)
        return
    key_node, key = frame[1]
    frame[1] = None
    if isinstance(key, str):
        parent.keys[key] = key_node
        parent.items.append(node)


def _to_data(node: Node):
    if node.kind == "scalar":
        return node.value
    if node.kind == "sequence":
        return [_to_data(item) for item in node.items]
    return {key: _to_data(item) for key, item in zip(node.keys, node.items)}


# ---------------------------------------------------------------------------
# Positions inside scalars


_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
    "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_LEN = {"x": 2, "u": 4, "U": 8}


def _source_units(text: str, node: Node):
    """(character, source offset, escaped) for the source of a scalar, with
    quotes, escapes and block headers decoded/removed."""
    raw_start, raw_end = node.start, node.end
    style = node.style
    units = []
    i = raw_start
    if style in ("|", ">"):
        newline = text.find("\n", i, raw_end)
        if newline < 0:
            return units
        i = newline + 1
    elif style in ("'", '"'):
        i += 1
        raw_end -= 1
    while i < raw_end:
        ch = text[i]
        if style == "'" and ch == "'" and i + 1 < raw_end and text[i + 1] == "'":
            units.append(("'", i, True))
            i += 2
            continue
        if style == '"' and ch == "\\" and i + 1 < raw_end:
            nxt = text[i + 1]
            if nxt in _HEX_LEN:
                digits = text[i + 2 : i + 2 + _HEX_LEN[nxt]]
                try:
                    units.append((chr(int(digits, 16)), i, True))
                except ValueError:
                    return None
                i += 2 + _HEX_LEN[nxt]
                continue
            if nxt in "\r\n":  # escaped line break: joins lines, no space
                i += 2
                while i < raw_end and text[i] in " \t\r\n":
                    i += 1
                continue
            if nxt in _ESCAPES:
                units.append((_ESCAPES[nxt], i, True))
                i += 2
                continue
        units.append((ch, i, False))
        i += 1
    return units


def scalar_offsets(text: str, node: Node) -> list[int] | None:
    """For each character of a scalar's value, its offset in the source text.

    Aligns the value with its source units: value whitespace may stand for any
    whitespace in the source (folding), and whitespace in the source that the
    value does not have (indentation, line breaks) is skipped. Returns None if
    the two cannot be aligned (then callers use the whole scalar's span).
    """
    value = node.value if isinstance(node.value, str) else str(node.value)
    units = _source_units(text, node)
    if units is None:
        return None
    offsets = []
    j = 0
    n = len(units)
    for ch in value:
        if ch in " \n\t":
            # Folded or literal whitespace: the next whitespace unit, after
            # skipping nothing else; a value newline from folding may face
            # several source whitespace characters.
            if j < n and units[j][0] in " \t\r\n":
                offsets.append(units[j][1])
                j += 1
                continue
            if units and j > 0:
                # e.g. the final newline of a block scalar beyond the units
                offsets.append(units[j - 1][1])
                continue
            return None
        while j < n and units[j][0] in " \t\r\n" and not units[j][2] and units[j][0] != ch:
            j += 1
        if j >= n or units[j][0] != ch:
            return None
        offsets.append(units[j][1])
        j += 1
    return offsets


# ---------------------------------------------------------------------------
# Entry point


def load_text(path: str, raw: bytes | str, size: int | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Parse one file's content; never raises for bad input. ``max_bytes``
    is the size bound (entries: 64 KiB; the rules file is larger)."""
    doc = Document(path=path, text="")
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    size = len(raw) if size is None else size
    if size > max_bytes:
        doc.findings.append(
            Finding.at(
                path,
                Span.point(1, 1),
                ERROR,
                "yaml/too-large",
                f"the file is {size:,} bytes; it may be at most {max_bytes:,} bytes",
                suggestion="shorten the description or move supporting material to a linked source",
            )
        )
        return doc
    text = decode(path, raw, doc)
    if text is None:
        return doc
    doc.text = text
    precheck(doc)
    parse(doc)
    if doc.root is None and not any(f.is_error for f in doc.findings):
        doc.findings.append(
            Finding.at(
                path,
                Span.point(1, 1),
                ERROR,
                "yaml/empty",
                "the file is empty",
                suggestion="copy the example entry from CONTRIBUTING.md and fill it in",
            )
        )
    elif doc.root is not None and doc.root.kind != "mapping" and doc.ok:
        what = "a list" if doc.root.kind == "sequence" else "a single value" if doc.root.value is not None else "empty"
        rule = "yaml/empty" if doc.root.value is None and doc.root.kind == "scalar" else "yaml/not-a-mapping"
        doc.findings.append(
            Finding.at(
                path,
                doc.root.span if rule != "yaml/empty" else Span.point(1, 1),
                ERROR,
                rule,
                "the file is empty" if rule == "yaml/empty" else f"the file must hold field: value lines, but it holds {what}",
                suggestion="start each line with a field name, for example `name: ...`",
            )
        )
    return doc


def load_file(path, display: str | None = None) -> Document:
    """Read and parse a file; unreadable files become findings too.

    ``display`` is the path shown in findings (default: ``path`` as given)."""
    display = str(path) if display is None else display
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
            size = os.fstat(handle.fileno()).st_size if len(raw) > MAX_BYTES else len(raw)
    except OSError as exc:
        doc = Document(path=display, text="")
        doc.findings.append(
            Finding.at(display, Span.point(1, 1), ERROR, "yaml/unreadable", f"the file cannot be read: {exc.strerror or exc}")
        )
        return doc
    return load_text(display, raw, size)
