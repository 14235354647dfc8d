"""The fast path of ``check``: the same findings as the precise path, sooner.

Most entries are fine. For them the precise path (a node tree with positions
for every value, then jsonschema's validator) does work nobody reads. Here,
for each file:

1. read, decode and build *plain data* straight from the C parser's events,
   giving up (``None``) at the first thing the loader would report or that
   is unusual (an anchor, alias, tag, directive, duplicate or complex key, a
   second document, deep nesting, a tab, a control character, a syntax
   error...);
2. validate the data with a compiled yes/no validator (fastjsonschema, when
   installed, for the schema's known keywords only);
3. scan the free text for wording flags; check that ``id`` is the file name.

Only when all of that finds nothing is the file done. Otherwise the file
goes through the precise path (``registry.check_document`` on the hardened
loader's positioned tree), so every finding has exactly the line, column and
words it has always had. The fast path only ever decides "nothing to report";
the tests check it agrees with the precise path (tests/test_fastcheck.py).

Files are spread over worker processes (fork) in ordered chunks, each
returning a compact ``FileResult`` (findings, the few facts the registry-wide
checks need, and the text only for files with findings), so the output is
the same, byte for byte, whatever the number of processes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from bot import loading
from bot.loading import MAX_BYTES, MAX_DEPTH, load_file, load_text, resolve_plain

try:  # pragma: no cover - depends on the installed extra
    from ruamel.yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )
except ImportError:  # pragma: no cover
    AliasEvent = None

_CParser = loading._CParser
# Anything the pre-parse checks or the reader would report sends the file to
# the precise path: tabs (anywhere), forbidden and reader-rejected characters.
_NEEDS_PRECISE = re.compile(
    "[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)


# ---------------------------------------------------------------------------
# 1. Plain data from parser events


def fast_data(text: str):
    """The data of a well-formed, unremarkable YAML document, or None.

    None means "use the hardened loader": it is returned for everything the
    loader reports (and some things it does not), never guessed around."""
    if _CParser is None or AliasEvent is None or _NEEDS_PRECISE.search(text):
        return None
    get = _CParser(text).get_event
    try:
        if get().__class__ is not StreamStartEvent:
            return None
        event = get()
        if event.__class__ is not DocumentStartEvent or event.version or event.tags:
            return None
        stack = []  # enclosing containers
        keys = []  # their pending keys (mappings) or _SEQ
        top = None
        key = _SEQ
        root = _MISSING
        while True:
            event = get()
            cls = event.__class__
            if cls is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    return None
                value = event.value if event.style else resolve_plain(event.value)
                if top is None:
                    root = value
                elif key is _SEQ:
                    top.append(value)
                elif key is _NONE:  # a key
                    if value.__class__ is not str or value in top:
                        return None  # non-text or duplicate key: the loader words it
                    key = value
                else:
                    top[key] = value
                    key = _NONE
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    return None
                container = {} if cls is MappingStartEvent else []
                if top is not None:
                    if key is _SEQ:
                        top.append(container)
                    elif key is _NONE:
                        return None  # a list or mapping as a key
                    else:
                        top[key] = container
                        key = _NONE
                    stack.append(top)
                    keys.append(key)
                top = container
                key = _NONE if cls is MappingStartEvent else _SEQ
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                if stack:
                    top = stack.pop()
                    key = keys.pop()
                else:
                    root = top
                    top = None
            elif cls is DocumentEndEvent:
                break
            else:  # aliases, anything unexpected
                return None
        if get().__class__ is not StreamEndEvent:
            return None  # a second document
    except Exception:  # syntax errors: the loader reports them with a position
        return None
    return None if root is _MISSING else root


class _Marker:
    __slots__ = ()


_SEQ, _NONE, _MISSING = _Marker(), _Marker(), _Marker()


# ---------------------------------------------------------------------------
# 2. The compiled yes/no validator

# Keywords whose meaning the compiled validator shares with jsonschema for the
# data the loader produces (str, int, float, bool, None, list, dict). A schema
# with any other keyword gets no fast validator: every file goes the precise way.
_KNOWN_KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "title", "description", "x-vocabulary", "x-titles", "examples", "$comment",
    "type", "enum", "const", "properties", "additionalProperties", "required", "propertyNames",
    "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "format", "allOf",
}
_KNOWN_FORMATS = {"date", "uri"}


def _fast_schema(schema):
    """The schema for fastjsonschema, or None if it uses a keyword we have not
    checked. ``$ref`` with sibling keywords becomes ``allOf`` (2020-12 applies
    both; the draft-7 reading of fastjsonschema would drop the siblings)."""

    def walk(node, in_properties=False):
        if isinstance(node, list):
            return [walk(v) for v in node]
        if not isinstance(node, dict):
            return node
        if in_properties or node is schema.get("$defs"):
            return {k: walk(v) for k, v in node.items()}
        unknown = set(node) - _KNOWN_KEYWORDS
        if unknown or ("format" in node and node["format"] not in _KNOWN_FORMATS) or "default" in node:
            raise LookupError(sorted(unknown))
        out = {}
        for k, v in node.items():
            if k == "x-titles":
                continue  # an annotation of ours: not for the validator
            if k in ("properties", "$defs"):
                out[k] = walk(v, in_properties=True)
            elif k in ("enum", "const", "required", "examples"):
                out[k] = v
            else:
                out[k] = walk(v)
        if "$ref" in out and set(out) - {"$ref", "description", "title", "x-vocabulary", "$comment"}:
            ref = out.pop("$ref")
            out["allOf"] = [{"$ref": ref}, *out.get("allOf", [])]
        return out

    try:
        converted = walk(schema)
    except LookupError:
        return None
    return _inline_refs(converted, converted.get("$defs") or {})


_ANNOTATIONS = {"description", "title", "x-vocabulary", "$comment"}
_VALUE_KEYWORDS = ("enum", "const", "required", "examples")


def _inline_refs(node, defs: dict, seen: tuple = ()):
    """Each ``{"$ref": "#/$defs/NAME"}`` (annotations beside it at most)
    replaced by the definition itself: the same rules, but fastjsonschema
    then checks them in line instead of calling a function per value, which
    built an error-path string with ``locals()`` at every call even when
    nothing failed (validation took ~3-4 times as long). A definition that
    refers to itself keeps its ``$ref``."""
    if isinstance(node, list):
        return [_inline_refs(v, defs, seen) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and set(node) - {"$ref"} <= _ANNOTATIONS:
        name = ref[len("#/$defs/") :]
        if name in defs and name not in seen:
            return _inline_refs(defs[name], defs, (*seen, name))
    return {k: v if k in _VALUE_KEYWORDS else _inline_refs(v, defs, seen) for k, v in node.items()}


class FastValidator:
    """``ok(data)``: True only if jsonschema would find no error."""

    def __init__(self, schema: dict):
        import fastjsonschema

        from bot.schema import _check_date, _check_uri

        converted = _fast_schema(schema)
        if converted is None:
            raise LookupError("the schema uses keywords the fast validator does not know")
        self._exception = fastjsonschema.JsonSchemaException
        self._validate = fastjsonschema.compile(
            converted,
            formats={"date": _check_date, "uri": _check_uri},
            use_default=False,
            detailed_exceptions=False,
        )

    def ok(self, data) -> bool:
        try:
            self._validate(data)
        except self._exception:
            return False
        except Exception:  # anything surprising: let the precise path decide
            return False
        return True


_FAST_VALIDATORS: dict = {}


def fast_validator(ctx):
    """The context's compiled validator, or None (not installed, or schema
    beyond what it is trusted for)."""
    key = id(ctx.schema)
    if key not in _FAST_VALIDATORS:
        try:
            _FAST_VALIDATORS[key] = (ctx.schema, FastValidator(ctx.schema))
        except (ImportError, LookupError):
            _FAST_VALIDATORS[key] = (ctx.schema, None)
        except Exception:  # pragma: no cover - fastjsonschema refusing the schema
            _FAST_VALIDATORS[key] = (ctx.schema, None)
    return _FAST_VALIDATORS[key][1]


# ---------------------------------------------------------------------------
# 3. One file


@dataclass
class Facts:
    """What the registry-wide checks need from one entry."""

    entry_id: str | None = None
    urls: tuple = ()  # (index, normalised url)
    name_key: str | None = None

    @classmethod
    def of(cls, data) -> "Facts":
        from bot.registry import normalise_name, normalise_url

        if not isinstance(data, dict):
            return cls()
        entry_id = data.get("id") if isinstance(data.get("id"), str) else None
        urls = data.get("urls")
        pairs = ()
        if isinstance(urls, list):
            pairs = tuple((i, normalise_url(u)) for i, u in enumerate(urls) if isinstance(u, str) and u.strip())
        name = data.get("name")
        key = normalise_name(name) if isinstance(name, str) else None
        return cls(entry_id, pairs, key or None)


@dataclass
class FileResult:
    """One file after its own checks, small enough to send between processes."""

    path: str  # as displayed
    findings: tuple = ()
    facts: Facts = field(default_factory=Facts)
    pending: bool = False
    text: str | None = None  # only for files with findings (for the report)
    data: object = None  # only when asked for (build)
    digest: str | None = None  # sha256 of the bytes, when the cache is on
    checked: bool = True  # False: only the facts were gathered (a registry file compared with)
    from_cache: bool = False


def _free_texts(data: dict):
    """The free-text values, in the order ``wording.free_text_nodes`` gives."""
    from bot.wording import FREE_TEXT_PATHS

    for pattern in FREE_TEXT_PATHS:
        stack = [data]
        for part in pattern:
            nxt = []
            for node in stack:
                if part == "*":
                    if isinstance(node, list):
                        nxt.extend(node)
                elif isinstance(node, dict) and part in node:
                    nxt.append(node[part])
            stack = nxt
        for value in stack:
            if isinstance(value, str):
                yield value


def _id_ok(data: dict, display: str) -> bool:
    """True when ``registry._id_matches_file`` has nothing to say."""
    from pathlib import PurePosixPath

    name = PurePosixPath(display.replace("\\", "/")).name
    if name.endswith(".yml"):
        return False
    entry_id = data.get("id")
    stem = name[: -len(".yaml")] if name.endswith(".yaml") else name.rsplit(".", 1)[0]
    return not isinstance(entry_id, str) or entry_id == stem or display in ("-", "<stdin>")


def check_raw(raw: bytes, size: int, display: str, ctx, *, checks: bool = True, want_data: bool = False) -> FileResult:
    """One file's bytes to a FileResult. ``checks=False``: only the facts (a
    registry file that serves for comparison)."""
    data = None
    if size <= MAX_BYTES and not raw.startswith(b"\xef\xbb\xbf"):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None:
            data = fast_data(text)
    if isinstance(data, dict):
        if not checks:
            return FileResult(display, facts=Facts.of(data), pending=data.get("verification") == "pending", data=data if want_data else None, checked=False)
        validator = fast_validator(ctx)
        schema_ok = validator is not None and validator.ok(data)
        if schema_ok and _id_ok(data, display):
            flagged = False
            if ctx.rules is not None:
                from bot.neutrality import scan
                from bot.registry import resolved
                from bot.wording import proper_names

                names = proper_names(data)
                rules = resolved(ctx.rules)
                flagged = any(scan(value, rules=rules, proper_names=names) for value in _free_texts(data))
            if not flagged:
                return FileResult(
                    display,
                    facts=Facts.of(data),
                    pending=data.get("verification") == "pending",
                    data=data if want_data else None,
                )
        return _precise(load_text(display, raw, size), ctx, want_data, schema_known_valid=schema_ok)
    doc = load_text(display, raw, size)
    if not checks:
        return FileResult(display, facts=Facts.of(doc.data), pending=_pending(doc.data), data=doc.data if want_data else None, checked=False)
    return _precise(doc, ctx, want_data)


def _pending(data) -> bool:
    return isinstance(data, dict) and data.get("verification") == "pending"


def _precise(doc, ctx, want_data: bool, *, schema_known_valid: bool = False) -> FileResult:
    from bot.registry import check_document

    checked = check_document(doc, ctx, schema_known_valid=schema_known_valid)
    data = checked.data
    return FileResult(
        doc.path,
        tuple(checked.findings),
        Facts.of(data),
        _pending(doc.data),
        doc.text if checked.findings else None,
        data if want_data else None,
    )


def read(path) -> tuple[bytes | None, int, str | None]:
    """(bytes, size, problem): at most MAX_BYTES + 1 bytes are read."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        return None, 0, exc.strerror or str(exc)
    try:
        chunks = []
        left = MAX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
        size = os.fstat(fd).st_size if len(raw) > MAX_BYTES else len(raw)
    except OSError as exc:
        return None, 0, exc.strerror or str(exc)
    finally:
        os.close(fd)
    return raw, size, None


def check_path(path, display: str, ctx, *, checks: bool = True, want_data: bool = False, cache=None) -> FileResult:
    raw, size, problem = read(path)
    if raw is None:
        doc = load_file(path, display)  # the unreadable-file finding, worded by the loader
        if not checks:
            return FileResult(display, checked=False)
        return _precise(doc, ctx, want_data)
    digest = None
    if cache is not None:
        digest = cache.digest(raw)
        hit = cache.get(display, digest, checks, raw)
        if hit is not None and (not want_data or hit.data is not None):
            return hit
    result = check_raw(raw, size, display, ctx, checks=checks, want_data=want_data)
    result.digest = digest
    return result


# ---------------------------------------------------------------------------
# Many files, over several processes

_WORK: dict = {}


def _run_chunk(chunk):
    ctx, want_data, cache = _WORK["ctx"], _WORK["want_data"], _WORK["cache"]
    return [check_path(path, display, ctx, checks=checks, want_data=want_data, cache=cache) for path, display, checks in chunk]


def default_jobs() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, cpus)


# Below this many files, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 400


def run(ctx, items, *, jobs: int | None = None, want_data: bool = False, cache=None) -> list[FileResult]:
    """``items``: (path, display, checks) triples; results in the same order.

    With a warm cache, this process reads and hashes every file and only the
    files the cache does not answer are checked (here when they are few)."""
    items = [tuple(i) for i in items]
    if cache is not None and cache.entries and not want_data:
        results: list = [None] * len(items)
        misses = []
        for number, (path, display, checks) in enumerate(items):
            raw, size, problem = read(path)
            if raw is not None:
                digest = cache.digest(raw)
                hit = cache.get(display, digest, checks, raw)
                if hit is not None:
                    results[number] = hit
                    continue
            misses.append(number)
        if len(misses) < PARALLEL_THRESHOLD:
            for number in misses:
                results[number] = check_path(*items[number][:2], ctx, checks=items[number][2], cache=cache)
        else:
            for number, result in zip(misses, _run(ctx, [items[n] for n in misses], jobs, want_data, cache)):
                results[number] = result
        return results
    return _run(ctx, items, jobs, want_data, cache)


def _run(ctx, items, jobs, want_data, cache) -> list[FileResult]:
    jobs = default_jobs() if jobs is None else max(1, jobs)
    jobs = min(jobs, max(1, len(items) // (PARALLEL_THRESHOLD // 2)))
    _WORK.update(ctx=ctx, want_data=want_data, cache=cache)
    try:
        if jobs <= 1 or len(items) < PARALLEL_THRESHOLD:
            return _run_chunk(items)
        import multiprocessing

        try:
            mp = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - no fork on this platform
            return _run_chunk(items)
        # Made once, before the workers fork, rather than once in each.
        fast_validator(ctx)
        if any(checks for _, _, checks in items):
            ctx.materialise()
        # Ordered chunks: small enough to balance two busy cores, large
        # enough that sending them costs little.
        size = max(50, min(500, len(items) // (jobs * 8) or 1))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        out: list[FileResult] = []
        with mp.Pool(jobs) as pool:
            for part in pool.imap(_run_chunk, chunks):
                out.extend(part)
        return out
    finally:
        _WORK.clear()
