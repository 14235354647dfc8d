"""Reading a form issue's body: hostile free text in, field values out.

GitHub writes each answer of an issue form under a ``### <label>`` heading,
and ``_No response_`` for an optional field left empty. People then edit
the body by hand, so this parser expects what people type: Windows line
endings, extra spaces and blank lines, Markdown (bullets, links, bold),
several web addresses on one line, a vocabulary value typed by hand (its
slug, its title, or a near miss, which gets a "did you mean").

Pure and bounded: a body over ``MAX_BODY`` characters is refused whole;
every list is capped; nothing here is evaluated, only split and trimmed.
Problems are data (``Problem``), named by the form field.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from bot.intake.forms import CLEAR, CORRECTION, Form, FormField
from bot.loading import _FORBIDDEN_CHARS

MAX_BODY = 65_536  # characters: GitHub's own limit for an issue body
MAX_FIELD = 20_000  # characters in one answer
MAX_ITEMS = 100  # lines in a list answer
NO_RESPONSE = "_No response_"

_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$")
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_LINK = re.compile(r"\[([^\]\n]{0,500})\]\(\s*<?([^()\s<>]{0,600})>?(?:\s+\"[^\"]*\")?\s*\)")
_URL = re.compile(r"https?://[^\s<>\"'`\]\[)(]+", re.I)
_TRAILING = ".,;:!?'\""
_DATE_AT_END = re.compile(r"(?:^|[\s,;(|–—-])\(?(\d{4}(?:-\d{2}(?:-\d{2})?)?)\)?\s*$")
_ID_TEXT = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Problem:
    """Something typed in the form that cannot be used as it is."""

    field: str  # the form field's id ("" for the form as a whole)
    message: str
    suggestion: str | None = None


@dataclass(frozen=True)
class Parsed:
    form: Form
    # entry field -> value (str, list of str, list of dict); CLEAR for
    # "remove this field" (correction form); "stakeholders/<group>" keys
    values: dict = field(default_factory=dict)
    answered: tuple[str, ...] = ()  # form field ids with an answer
    problems: tuple[Problem, ...] = ()
    entry: str | None = None  # correction form: the entry to correct, as typed


# ---------------------------------------------------------------------------
# Sections


def _norm_label(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.casefold().split()).rstrip(":")


def split_sections(body: str, form: Form) -> dict[str, str]:
    """Form field id -> raw answer text. A heading starts a section only when
    it names a field of the form not seen yet (by its label or its id);
    any other line, headings included, belongs to the current answer."""
    by_label = {}
    for f in form.fields:
        by_label[_norm_label(f.label)] = f.id
        by_label.setdefault(_norm_label(f.id), f.id)
    sections: dict[str, list[str]] = {}
    current = None
    for line in body.split("\n"):
        match = _HEADING.match(line)
        if match:
            field_id = by_label.get(_norm_label(match.group(1)))
            if field_id is not None and field_id not in sections:
                current = field_id
                sections[current] = []
                continue
        if current is not None:
            sections[current].append(line)
    return {k: "\n".join(v) for k, v in sections.items()}


def clean(text: str) -> str:
    """Line endings, HTML comments (invisible on GitHub, so they must not
    reach the entry), outer blank lines, and GitHub's "no response"."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _COMMENT.sub("", text)
    text = text.strip()
    if text == NO_RESPONSE or text.strip("_ ").casefold() == "no response":
        return ""
    return text


# ---------------------------------------------------------------------------
# Text


def inline_plain(text: str) -> str:
    """Markdown in a one-line value: links keep their text, emphasis and code
    marks go, spaces collapse."""
    text = _LINK.sub(lambda m: m.group(1).strip() or m.group(2), text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text, flags=re.I)
    return " ".join(text.split())


def paragraphs(text: str) -> str:
    """A free text: lines of one paragraph are joined (people and mail
    clients wrap lines), paragraphs stay apart; quote marks, headings' hashes
    and bullets at the start of lines go, links keep text and address."""
    out = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = []
        for line in block.split("\n"):
            line = re.sub(r"^\s*>+\s?", "", line)
            line = re.sub(r"^\s*#{1,6}\s+", "", line)
            line = _BULLET.sub("", line)
            line = _LINK.sub(lambda m: f"{m.group(1).strip()} ({m.group(2)})" if m.group(1).strip() else m.group(2), line)
            line = re.sub(r"(\*\*|__|`)", "", line)
            line = re.sub(r"<(https?://[^>\s]+)>", r"\1", line, flags=re.I)
            line = " ".join(line.split())
            if line:
                lines.append(line)
        if lines:
            out.append(" ".join(lines))
    return "\n\n".join(out)


def lines_of(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = _BULLET.sub("", line)
        line = inline_plain(line)
        if line:
            out.append(line)
    return out


def urls_of(text: str) -> list[str]:
    """Every web address, however many on a line; a line with none is kept
    as typed, so that the check names it."""
    found = []
    for line in text.split("\n"):
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        line = _LINK.sub(lambda m: f" {m.group(2)} ", line)
        hits = [u.rstrip(_TRAILING) for u in _URL.findall(line)]
        if hits:
            found.extend(hits)
        else:
            found.extend(t for t in re.split(r"[\s,;]+", inline_plain(line)) if t)
    seen, out = set(), []
    for url in found:
        if url not in seen:
            seen.add(url)
            out.append(url)
    return out


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = _ID_TEXT.sub("-", text).strip("-")
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return slug


# ---------------------------------------------------------------------------
# Choices


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[*_`\"“”‘’']", "", text)
    return " ".join(text.replace("-", " ").split()).strip(" .;:")


def _choice_keys(f: FormField) -> dict[str, str]:
    keys = {}
    for text, value in f.choices:
        keys.setdefault(_key(text), value)
        keys.setdefault(_key(value), value)
        # the part before " (" (a level's or region's title) and after
        # "Cluster: " (an issue area's title)
        head = text.split(" (", 1)[0]
        keys.setdefault(_key(head), value)
        if ": " in head:
            keys.setdefault(_key(head.split(": ", 1)[1]), value)
    return keys


def match_choice(f: FormField, token: str) -> tuple[str | None, str | None]:
    """(value, None) or (None, suggestion)."""
    keys = _choice_keys(f)
    key = _key(inline_plain(token))
    if key in keys:
        return keys[key], None
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.75)
    if close:
        value = keys[close[0]]
        shown = next((text for text, v in f.choices if v == value), value)
        return None, f"did you mean “{shown}”?"
    return None, "choose one of the values offered in the form"


def _split_choices(text: str) -> list[str]:
    tokens = []
    for line in text.split("\n"):
        line = _BULLET.sub("", line)
        tokens.extend(t.strip() for t in re.split(r"[,;]", line) if t.strip())
    return tokens


# ---------------------------------------------------------------------------
# The form


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_issue(body: str | None, form: Form) -> Parsed:
    """Values of an issue made from ``form``. Never raises on any text."""
    body = body if isinstance(body, str) else ""
    if len(body) > MAX_BODY:
        return Parsed(form, problems=(Problem("", f"the form is too long ({len(body):,} characters; at most {MAX_BODY:,})",
                                              "shorten the description and the lists; details can go in a linked source"),))
    correction = form.kind == CORRECTION
    problems: list[Problem] = []
    values: dict = {}
    answered = []
    entry = None
    sections = split_sections(body.replace("\r\n", "\n").replace("\r", "\n"), form)
    for f in form.fields:
        if f.id not in sections:
            continue
        text = clean(sections[f.id])
        if not text or f.kind in ("confirm", "note"):
            continue
        if len(text) > MAX_FIELD:
            problems.append(Problem(f.id, f"is too long ({len(text):,} characters; at most {MAX_FIELD:,})", "shorten it"))
            continue
        bad = _FORBIDDEN_CHARS.search(text)
        if bad:
            problems.append(
                Problem(f.id, f"contains an invisible control or text-direction character (U+{ord(bad.group()):04X})",
                        "type the text again, or paste it as plain text")
            )
            continue
        answered.append(f.id)
        target = f.target
        if correction and text.strip().casefold() == CLEAR:
            if f.clearable:
                values[target] = CLEAR
            else:
                problems.append(Problem(f.id, "cannot be removed: every entry needs it", "leave it empty to keep the current value"))
            continue
        if f.kind == "entry":
            entry = inline_plain(text)
        elif f.kind == "id":
            values[target] = inline_plain(text)
        elif f.kind == "line":
            values[target] = inline_plain(text)
        elif f.kind == "text":
            values[target] = paragraphs(text)
        elif f.kind in ("lines", "urls", "codes", "choices", "gaps", "sources"):
            if f.kind == "lines":
                items = [s for line in lines_of(text) for s in (p.strip() for p in line.split(";")) if s]
            elif f.kind == "urls":
                items = urls_of(text)
            elif f.kind == "codes":
                items = [t.upper() for t in re.split(r"[\s,;/]+", inline_plain(text)) if t]
            elif f.kind == "choices":
                items = _split_choices(text)
            elif f.kind == "gaps":
                items = lines_of(text)
            else:
                items = lines_of(text)
            if len(items) > MAX_ITEMS:
                problems.append(Problem(f.id, f"has {len(items)} lines; at most {MAX_ITEMS}", "keep the most important ones"))
                continue
            if f.kind == "choices":
                chosen = []
                for token in items:
                    value, hint = match_choice(f, token)
                    if value is None:
                        problems.append(Problem(f.id, f"`{_short(token)}` is not one of the choices", hint))
                    elif value == CLEAR:
                        if correction and f.clearable:
                            chosen = CLEAR
                            break
                    elif value not in chosen:
                        chosen.append(value)
                if chosen:
                    values[target] = chosen
            elif f.kind == "gaps":
                gaps = _gaps(f, items, problems)
                if gaps:
                    values[target] = gaps
            elif f.kind == "sources":
                values[target] = [_source(line) for line in items]
            elif f.kind == "codes":
                values[target] = list(dict.fromkeys(items))
            else:
                values[target] = items
        elif f.kind == "choice":
            token = _split_choices(text)
            token = token[0] if len(token) == 1 else text.split("\n")[0]
            value, hint = match_choice(f, token)
            if value is None:
                problems.append(Problem(f.id, f"`{_short(token)}` is not one of the choices", hint))
            elif value == CLEAR:
                if correction:
                    values[target] = CLEAR
            else:
                values[target] = value
    return Parsed(form, values, tuple(answered), tuple(problems), entry)


_GAP_SPLIT = re.compile(r"^\s*([^:–—]{1,40}?)\s*(?::|–|—| - )\s*(.*)$")


def _gaps(f: FormField, items: list[str], problems: list) -> list[dict]:
    """``type: note`` per line; the type matched like a dropdown choice (the
    form field carries the gap types as its choices)."""
    out = []
    for index, line in enumerate(items):
        match = _GAP_SPLIT.match(line)
        if not match or not match.group(2).strip():
            problems.append(
                Problem(f.id, f"line {index + 1} does not start with a type of gap and a colon", "for example: `capacity: According to ...`")
            )
            continue
        value, hint = match_choice(f, match.group(1))
        if value is None:
            problems.append(Problem(f.id, f"line {index + 1}: `{_short(match.group(1))}` is not a type of gap", hint))
            continue
        out.append({"type": value, "note": match.group(2).strip()})
    return out


def _source(line: str) -> dict:
    """``title [url] [date]`` -> a source (``web-page`` with an address,
    ``other`` without; the chairs can refine the type)."""
    urls = [u.rstrip(_TRAILING) for u in _URL.findall(line)]
    rest = _URL.sub(" ", line) if urls else line
    date = _DATE_AT_END.search(rest)
    if date:
        rest = rest[: date.start(1)].rstrip(" (")
    title = " ".join(rest.split()).strip(" -–—,;:|")
    source = {"type": "web-page" if urls else "other", "title": title or (urls[0] if urls else "")}
    if urls:
        source["url"] = urls[0]
    if date:
        source["date"] = date.group(1)
    return source
