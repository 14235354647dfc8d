"""Scan one text for wording that takes sides: pure function, data in, flags out."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, islice

from bot.findings import INFO

from .rules import ATTRIBUTION, DIGITS, EXEMPT, REPORTING, RULE, SEP, SOURCE, TERM, TERM_CUE, RuleSet, load_rules, phrases_regex

SCARE_QUOTE_MESSAGE = '{match} in quotation marks without a source reads as a scare quote'
SCARE_QUOTE_SUGGESTION = "remove the quotation marks, or say who uses the word and cite the source"

_SEP_RUN = re.compile(SEP)
_QUOTE_CHARS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb`"


@dataclass(frozen=True)
class Flag:
    """One flagged phrase: offsets are code points into the scanned text, end exclusive."""

    start: int
    end: int
    rule: str
    category: str
    severity: str
    message: str
    suggestion: str
    match: str

    @property
    def identity(self) -> tuple[str, str]:
        """(rule, normalised match): stable across re-runs, line moves and re-wrapping,
        so that a chair's acceptance can be matched to the flag."""
        return (self.rule, normalise_match(self.match))


_new_object = object.__new__


def _flag(start, end, rule, category, severity, message, suggestion, match) -> Flag:
    """Flag(...) without the frozen dataclass's __init__ (a call of object.__setattr__
    per field): the same object, made in half the time; the scan makes many."""
    flag = _new_object(Flag)
    flag.__dict__.update(
        start=start, end=end, rule=rule, category=category, severity=severity, message=message, suggestion=suggestion, match=match
    )
    return flag


def normalise_match(text: str) -> str:
    text = text.strip().strip(_QUOTE_CHARS).strip()
    return _SEP_RUN.sub(" ", text).lower()


# --- helpers on the text ----------------------------------------------------------------

_QUOTE_RES = (
    ('"', re.compile(r'"([^"\n]{1,400}?)"')),
    ("\u201c", re.compile("\u201c([^\u201c\u201d\n]{1,400}?)\u201d")),
    ("\u00ab", re.compile("\u00ab([^\u00ab\u00bb\n]{1,400}?)\u00bb")),
    ("\u2018", re.compile("(?<![\\w])\u2018([^\u2018\u2019\n]{1,400}?)\u2019(?![\\w])")),
    # Straight single quotes, not apostrophes: not after a letter, and not the
    # tokenised possessive " ' s ".
    ("'", re.compile(r"'(?!\s*s\b)([^'\n]{1,400}?)'(?!\w)")),
)
_AFTER_END = frozenset(" \t\r\n\u00a0\"')]\u201d\u2019")
# A full stop does not end the sentence (any case of the words):
#   - after a title, a month or a Latin abbreviation: "Dr. Amani", "1 Jan. 2025", "et al.";
#   - after a reference word before a number: "Art. 5", "No. 3", "pp. 12" (but "the
#     members voted no. The ..." ends);
#   - after a single letter that follows a full stop: "U.S. agencies", "e.g. the" (but
#     "listed in Annex B. The ..." ends).
_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec cf vs approx ca al mr mrs ms dr prof st".split())
_NUMBERED = frozenset("art arts no nos para paras sec pp vol ch fig".split())
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_SPACES_IN_LINE = " \t\u00a0"


def _spelt(word: str) -> str:
    """`word` as a regex of any case, each letter spelt [xX]: not the IGNORECASE flag,
    which would also take the long s and the Kelvin sign for s and k."""
    return "".join(f"[{c}{c.upper()}]" for c in word)


def _by_length(words) -> list[str]:
    """`words` as alternations of equal width (a lookbehind has a fixed width)."""
    by_len = {}
    for word in sorted(words):
        by_len.setdefault(len(word), []).append(_spelt(word))
    return ["|".join(group) for _, group in sorted(by_len.items())]


def _abbreviation_tests() -> str:
    """The abbreviation rule above as lookarounds right after a full stop. They come
    after the stop, so that each branch of _SENTENCE_STOP starts with its character and
    the regex engine skips to the next stop character (with them first, it tried them
    at every position of the text)."""
    always = "".join(f"(?<!\\b(?:{group})\\.)" for group in _by_length(_ABBREVIATIONS))
    numbered = "".join(f"(?!(?<=\\b(?:{group})\\.)[{_SPACES_IN_LINE}]+\\d)" for group in _by_length(_NUMBERED))
    return always + numbered + "(?<!\\.[A-Za-z]\\.)"


def _abbreviation_before(text: str, i: int) -> bool:
    """Is the full stop at text[i] an abbreviation's (the rule above)? The word before
    it is the run of word characters (\\w: str.isalnum() or "_") that ends at i; a number
    starts with a decimal digit (\\d: str.isdecimal())."""
    # Most stops end a longer word or a number: answered without walking back over it
    # (every abbreviation is at most 6 letters long and ends in a letter).
    if not i or not text[i - 1].isalpha() or (i >= 7 and text[i - 7 : i].isalnum()):
        return False
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1
    word = text[j:i]
    if len(word) == 1:
        return word in _ASCII_LETTERS and j > 0 and text[j - 1] == "."
    if not word.isascii():
        return False
    word = word.lower()
    if word in _ABBREVIATIONS:
        return True
    if word in _NUMBERED:
        k, n = i + 1, len(text)
        while k < n and text[k] in _SPACES_IN_LINE:
            k += 1
        return i + 1 < k < n and text[k].isdecimal()
    return False


# Where a sentence ends: after . ! ? ; followed by a character of _AFTER_END or the end
# of the text (a full stop only when it ends no abbreviation), and after a line break.
_STOP_FOLLOWS = "(?=[ \t\r\n\u00a0\"')\\]\u201d\u2019]|\\Z)"
_SENTENCE_STOP = re.compile("\\." + _abbreviation_tests() + _STOP_FOLLOWS + "|[!?;]" + _STOP_FOLLOWS + "|\n")
# The same with any white space (\s) after the stop: between a quotation and a cue that
# follows it, a sentence end means the cue is not its attribution (`_attributed`).
_SENTENCE_END = re.compile(
    "\\." + _abbreviation_tests() + "(?=[\\s\"'\u201d\u2019)\\]]|\\Z)|[!?;](?=[\\s\"'\u201d\u2019)\\]]|\\Z)|\n"
)
_NEXT_WORD = re.compile(r"[\s\u00a0\-]*([^\W_]+)")
_WORDS = re.compile(r"[^\W_]+")
_NEXT_TWO_WORDS = re.compile(r"[\W_]*([^\W_]+)(?:[\W_]+([^\W_]+))?")
_CONNECTORS = frozenset("of on for the and to in de la du des et".split())
_CAPITALISED_FUNCTION_WORDS = frozenset(
    "the a an this that these those it its in on at by for of and but or we our they he she as to "
    "since from with after before during under according while when although".split()
)


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class _Bounds:
    """Sentence start offsets, computed on first use (most texts never need them)."""

    __slots__ = ("text", "_starts", "_local_left")

    def __init__(self, text):
        self.text = text
        self._starts = None
        self._local_left = 16

    def local(self) -> bool:
        """May this look-up search around its position (a few rfind, one search) instead
        of splitting the whole text? Yes for the first 16: most texts need a few. A text
        that needs more is split once, since each local search may run over the whole
        text when it has few stops (a hostile text would cost n * n)."""
        if self._starts is not None:
            return False
        self._local_left -= 1
        return self._local_left >= 0

    @property
    def starts(self):
        if self._starts is None:
            self._starts = _sentence_bounds(self.text)
        return self._starts


def _sentence_bounds(text: str) -> list[int]:
    """Start offsets of sentences (0 included), sorted: after . ! ? ; followed by a
    space, a closing quote or bracket, or the end; and after a line break."""
    return [0, *map(_MATCH_END, _SENTENCE_STOP.finditer(text))]


_MATCH_END = re.Match.end


def _sentence_of(bounds, pos) -> tuple[int, int | None]:
    """(start, end) of the sentence around `pos`; end is None for the last sentence."""
    if isinstance(bounds, _Bounds):
        if bounds.local():
            # Around `pos` only, not the whole text: the same answer (the last start at
            # or before `pos`, the first after it), found with a few rfind and one search.
            start = _start_before(bounds.text, pos)
            if start is not None:
                m = _SENTENCE_STOP.search(bounds.text, pos)
                return start, (m.end() if m else None)
        starts = bounds.starts
    else:
        starts = bounds
    i = bisect_right(starts, pos)
    return (starts[i - 1] if i else 0), (starts[i] if i < len(starts) else None)


def _sentence_start(bounds: _Bounds, pos: int) -> int:
    """The start of the sentence around `pos` (as `_sentence_of`)."""
    if bounds.local():
        start = _start_before(bounds.text, pos)
        if start is not None:
            return start
    return _sentence_of(bounds, pos)[0]


def _sentence_end(bounds: _Bounds, pos: int) -> int | None:
    """The end of the sentence around `pos` (as `_sentence_of`: the first sentence start
    after `pos`, None for the last sentence)."""
    if bounds.local():
        m = _SENTENCE_STOP.search(bounds.text, pos)
        return m.end() if m else None
    starts = bounds.starts
    i = bisect_right(starts, pos)
    return starts[i] if i < len(starts) else None


def _ends_sentence(text: str, i: int) -> bool:
    """Does the stop at text[i] (. ! ? ;) end a sentence, as `_SENTENCE_STOP` decides:
    followed by a character of _AFTER_END or the end, and not an abbreviation's?"""
    return (i + 1 == len(text) or text[i + 1] in _AFTER_END) and not (text[i] == "." and _abbreviation_before(text, i))


def _start_before(text: str, pos: int) -> int | None:
    """The largest sentence start <= pos (see _sentence_bounds), or None when too many
    stops that do not end a sentence ("e.g.", "1.5") lie before it: ask for all then."""
    best = text.rfind("\n", 0, pos)
    budget = 16
    for ch in ".!?;":
        i = text.rfind(ch, 0, pos)
        while i > best and not _ends_sentence(text, i):
            budget -= 1
            if not budget:
                return None
            i = text.rfind(ch, 0, i)
        if i > best:
            best = i
    return best + 1


def _prev_word(low: str, s: int) -> str | None:
    r"""The word right before `s`, over spaces and hyphens, within 40 characters: the
    group of ``re.compile(r"([^\W_]+)[\s\u00a0\-]*$").search(low, max(0, s - 40), s)``,
    found from `s` backwards instead of by a regex tried at every position ([^\W_] is
    str.isalnum() and \s str.isspace(), \u00a0 included)."""
    lo = max(0, s - 40)
    end = s
    while end > lo and (low[end - 1].isspace() or low[end - 1] == "-"):
        end -= 1
    start = end
    while start > lo and low[start - 1].isalnum():
        start -= 1
    return low[start:end] if start < end else None


def _last_words(text: str, lo: int, hi: int, n: int = 2) -> list[str]:
    """The last `n` words of text[lo:hi] (``_WORDS.findall(text, lo, hi)[-n:]``), found
    from the end: the scan asks for the two before a match, at the end of a sentence."""
    words = []
    end = hi
    while len(words) < n:
        while end > lo and not text[end - 1].isalnum():
            end -= 1
        if end <= lo:
            break
        start = end - 1
        while start > lo and text[start - 1].isalnum():
            start -= 1
        words.append(text[start:end])
        end = start
    words.reverse()
    return words


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


# What may stand between two words of one name: "Council of Europe", "Asia-Pacific" (or
# with an en dash), "Women's Rights". A comma, colon, bracket, slash or em dash ends the
# name: "Unfortunately, the Arab IGF ..." is a sentence adverb before a name, not part of it.
_NAME_GLUE = frozenset(" \t\u00a0-\u2010\u2011\u2013'\u2019&")


def _glued_before(text: str, s: int) -> bool:
    i = s
    while i > 0 and text[i - 1] in _NAME_GLUE:
        i -= 1
    return i > 0 and text[i - 1].isalnum()


def _glued_after(text: str, e: int) -> bool:
    i, n = e, len(text)
    while i < n and text[i] in _NAME_GLUE:
        i += 1
    return i < n and text[i].isalnum()


def _neighbour_capitalised(text: str, s: int, e: int, sentence_start: int) -> bool:
    """Is there a capitalised content word next to text[s:e], allowing one connector,
    with nothing but spaces, hyphens or apostrophes between them?"""
    words = _last_words(text, sentence_start, s) if _glued_before(text, s) else None
    if words:
        last = words[-1]
        if last.lower() in _CONNECTORS and len(words) == 2:
            last = words[0]
        if _is_capitalised(last) and last.lower() not in _CAPITALISED_FUNCTION_WORDS:
            return True
    after = _NEXT_TWO_WORDS.match(text, e, e + 60) if _glued_after(text, e) else None  # its first two words
    if after:
        nxt = after[1]
        if nxt.lower() in _CONNECTORS and after[2] is not None:
            if nxt.lower() == "the" and text[e - 2 : e].lower() == "ly" and _at_sentence_start(text, s, sentence_start):
                return False  # a sentence adverb before a name: "Sadly the Arab States ..."
            nxt = after[2]
        if _is_capitalised(nxt) and nxt.lower() not in _CAPITALISED_FUNCTION_WORDS:
            return True
    return False


def _gerund_subject(text: str, low: str, s: int) -> bool:
    """Does a cue at `s` start its sentence with a word in -ing, with no comma closing
    its phrase? Then it is the subject of what follows ("Joining the Call should be a
    priority"), not a rule about who joins ("States joining the coalition must endorse
    ...", "Joining the coalition, states must commit to ..."). A line break inside a
    sentence ("organisations\njoining the coalition must ...") does not start one."""
    m = _FIRST_WORD.match(low, s)
    if m is None or not m.group().endswith("ing"):
        return False
    start = _local_sentence_start(text, s)
    if not _at_sentence_start(text, s, start):
        return False
    before = text[max(0, start - 3) : start].rstrip()
    if start and before[-1:].isalnum():  # a line break in the middle of a sentence
        return False
    end = _SENTENCE_END.search(low, s, min(len(low), s + 200))
    return "," not in low[s : end.start() if end else min(len(low), s + 200)]


def _acronym(text: str, s: int, e: int) -> bool:
    """Is text[s:e] an acronym: one word in capitals, in brackets right after the
    Capitalised Words of its sentence that it abbreviates, its letters their initials in
    order ("The Electronic Privacy Information Center (EPIC) is ...")? A word in
    capitals elsewhere may be emphasis ("a UNIQUE opportunity") and is flagged."""
    word = text[s:e]
    if not (s > 1 and text[s - 1] == "(" and text[e : e + 1] == ")" and word.isalpha() and word.isupper()):
        return False
    initials = "".join(w[0] for w in _last_words(text, _local_sentence_start(text, s - 1), s - 1, 12) if w[0].isupper())
    i = 0
    for c in initials:
        if i < len(word) and c == word[i]:
            i += 1
    return i == len(word)


def _local_sentence_start(text: str, s: int, window: int = 200) -> int:
    """Start of the sentence around `s`, looking back at most `window` characters
    (cheaper than splitting the whole text; enough for the name and case checks)."""
    lo = max(0, s - window)
    best = -1
    for ch in ".!?;\n":
        i = text.rfind(ch, lo, s)
        while i > best and ch != "\n" and not _ends_sentence(text, i):
            i = text.rfind(ch, lo, i)
        if i > best:
            best = i
    return best + 1 if best >= 0 else lo


def _at_sentence_start(text: str, s: int, sentence_start: int) -> bool:
    return not text[sentence_start:s].strip(" \t\u00a0\"'\u201c\u2018([-*")


def _looks_like_name(text: str, s: int, e: int) -> bool:
    """Capitalised Words next to other Capitalised Words are part of a proper name
    ("Leading Group on Innovative Financing"). A lone capitalised word is not: it is a
    sentence start or a proper adjective ("an Orwellian system")."""
    words = _WORDS.findall(text, s, e)
    if not words or not all(w[0].isupper() for w in words):  # words are not empty
        return False
    sentence_start = _local_sentence_start(text, s)
    if _neighbour_capitalised(text, s, e, sentence_start):
        return True
    return len(words) > 1 and not _at_sentence_start(text, s, sentence_start)


@lru_cache(maxsize=256)
def _names_regex(names: tuple) -> re.Pattern | None:
    return phrases_regex(names)


def _spans(regex, text):
    if regex is None:
        return []
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def _inside(spans, s, e) -> bool:
    for a, b in spans:
        if a < e and s < b:
            return True
    return False


class _Spans:
    """Does [s, e) overlap one of many spans? A bisect on the spans sorted by start, and
    the largest end among those that start before e (spans may overlap one another): a
    text of many exempt phrases and many candidates costs n log n, not n * n. A few spans
    are looked through one by one (cheaper than sorting them)."""

    __slots__ = ("spans", "_starts", "_max_ends", "_indexed")

    def __init__(self, spans):
        self.spans = spans
        self._starts = None
        self._indexed = 0  # how many spans the index holds

    def overlaps(self, s, e) -> bool:
        spans = self.spans
        if len(spans) <= 16:
            return _inside(spans, s, e)
        if self._indexed != len(spans):
            self._indexed = len(spans)
            spans.sort()
            self._starts = [a for a, _ in spans]
            self._max_ends = list(accumulate((b for _, b in spans), max))
        i = bisect_left(self._starts, e)
        return i > 0 and self._max_ends[i - 1] > s


def _find_quotes(text):
    """(outer_start, outer_end, inner_start, inner_end) of quotations, without overlaps."""
    found = []  # sorted, without overlaps: so their ends are sorted too
    ends = []
    for opener, rx in _QUOTE_RES:
        if opener not in text:
            continue
        for m in rx.finditer(text):
            s, e = m.span()
            if s and text[s - 1].isalnum():  # an apostrophe, not a quotation mark
                continue
            k = bisect_right(ends, s)  # the first quotation found that ends after s
            if k < len(found) and found[k][0] < e:
                continue
            found.insert(k, (s, e, m.start(1), m.end(1)))
            ends.insert(k, e)
    return found


# A year within a few words after a time anchor: "as of 30 June 2026", "as at March 2025".
_DIGIT = re.compile(r"\d")
_YEAR_AFTER = re.compile(r"[^;!?\n]{0,40}?(?<!\d)(?:1[89]|2[01])\d\d(?![\d:]| ?(?:hours|hrs|h\b|GMT|UTC))")

_FIRST_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def _accept(rs, text, low, bounds, s, terms, end=None):
    """The longest of `terms` that matches at `s` and passes its context conditions
    (`end`: all the terms are known to match exactly text[s:end])."""
    best = None
    for term in terms:
        if end is None:
            m = term.regex.match(low, s)
            if m is None or (best is not None and m.end() <= best[1]):
                continue
            e = m.end()
        else:
            e = end
            if not (term.unless_next or term.unless_prev or term.after or term.lower_case_only):
                return (term, e)
        if term.unless_next:
            nm = _NEXT_WORD.match(low, e)
            if nm and (nm.group(1) in term.unless_next or (nm.group(1).isdigit() and DIGITS in term.unless_next)):
                continue
        if term.unless_prev or term.after:
            prev = _prev_word(low, s)
            if prev in term.unless_prev or (prev and prev.isdigit() and DIGITS in term.unless_prev):
                continue
            if term.after and prev not in term.after:
                continue
        if term.lower_case_only:
            original = text[s:e]
            if sum(c.isupper() for c in original) > 1:  # "US"
                continue
            if any(w[:1].isupper() for w in _WORDS.findall(original)[1:]):  # "is a New York ..."
                continue
            if original[:1].isupper() and not _at_sentence_start(text, s, _local_sentence_start(text, s)):
                continue
        best = (term, e)
    return best


# --- the scan -------------------------------------------------------------------------------

# Every ASCII character that is not a word character (\w) maps to a space: on an ASCII
# text, str.translate with this table does what _GAP_CHARS.sub(" ", text) does, faster.
_ASCII_GAPS = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})
_GAP_CHARS = re.compile(r"[^\w ]")
# Characters that are neither a separator (SEP) nor an apostrophe: a phrase does not go
# on over a gap that starts with one of these (a shortcut, not a rule).
_NOT_IN_PHRASE = frozenset(".,;:!?()[]{}\"<>*&%$#@+=|~^`\u201c\u201d\u2018\u2019")


def _word_runs(low: str) -> list[str]:
    """The text cut at every character that is not a word character (\\w): the runs of
    word characters, and an empty string between two such characters in a row. The
    item at index k starts at sum(len(item) + 1 for the items before it). The last item
    is always "" (as if the text ended with one more gap character)."""
    spaced = low.translate(_ASCII_GAPS) if low.isascii() else _GAP_CHARS.sub(" ", low)
    return (spaced + " ").split(" ")


def _find_phrases(rs, low):
    """(start, end, phrase) of the phrases of `rs.kinds` in the lower-cased text: at the
    start of each run of word characters, the longest phrase that its words and the
    following ones spell (a run of separators between two words counting as one
    space), then on after it. The same matches as ``rs.scan_re.finditer(low)`` (see
    `rules._compile`), with the phrase normalised, at the cost of a split and a set
    look-up per word instead of one regex of every phrase, which takes long to compile."""
    if not rs.word_scan:
        out = []
        kinds = rs.kinds
        for m in rs.scan_re.finditer(low):
            g = m.group()
            if g not in kinds:
                g = _SEP_RUN.sub(" ", g)
            out.append((m.start(), m.end(), g))
        return out
    runs = _word_runs(low)
    # Where a phrase can start: a word that is a phrase, or a word and the next that
    # are the first two of a phrase (the next is "" after a gap of two characters or
    # more: `first_pairs` has ("first word", "") too). Found without a Python loop over
    # every word. (single_words.get(word, pair) is True for a one-word phrase, else the
    # pair test; the last item, "", is no start.)
    starts = list(
        compress(
            range(len(runs)),
            map(rs.single_words.get, runs, map(rs.first_pairs.__contains__, zip(runs, islice(runs, 1, None)))),
        )
    )
    if not starts:
        return []
    prefixes = rs.prefixes
    kinds = rs.kinds
    multi_first = rs.multi_first
    n = len(runs)
    out = []
    resume = 0  # a phrase can start at this index or later (matches do not overlap)
    at, offset = 0, 0  # offset: where runs[at] starts
    for i in starts:
        if i < resume:
            continue
        offset += sum(map(len, runs[at:i])) + i - at
        at = i
        phrase = runs[i]
        end = offset + len(phrase)
        if phrase not in multi_first:  # a one-word phrase, and no longer one starts here
            out.append((offset, end, phrase))
            resume = i + 1
            continue
        best = (end, phrase, i) if phrase in kinds else None
        k = i  # runs[k] ends at `end`
        while True:
            j = k + 1
            while j < n and not runs[j]:
                j += 1
            if j == n:
                break
            gap = low[end : end + j - k]
            if gap != " ":
                if gap[0] in _NOT_IN_PHRASE:
                    break
                gap = _SEP_RUN.sub(" ", gap)
            phrase = phrase + gap + runs[j]
            if phrase not in prefixes:
                break
            end += j - k + len(runs[j])
            k = j
            if phrase in kinds:
                best = (end, phrase, k)
        if best is not None:
            best_end, best_phrase, last = best
            out.append((offset, best_end, best_phrase))
            resume = last + 1
    return out


def scan(text: str, *, rules: RuleSet | None = None, proper_names=()) -> list[Flag]:
    """Flags in one text, sorted by position.

    `proper_names` are extra exempt phrases (the entry's own name, acronym and
    organisations). Matches inside exempt phrases or proper names are dropped. Matches
    inside a quotation attributed to a source are dropped (or lowered to `info`, per the
    rules file's `settings.attributed_quotes`); matches in a clause of reported speech
    ("The secretariat stated that ...") are lowered to `info` (`settings.reported_clauses`).
    """
    if not isinstance(text, str):
        raise TypeError("scan() needs a str")
    rs = rules if rules is not None else load_rules()
    if not text:
        return []
    low = _lower_same_length(text)
    hits = _find_phrases(rs, low)
    quotes = _find_quotes(text) if ('"' in text or "'" in text or "\u201c" in text or "\u2018" in text or "\u00ab" in text) else []
    if not hits and not quotes:
        return []

    # Sort the phrases found by kind.
    kinds = rs.kinds
    candidates, exempt, cues, reporting, sources, rule_clauses, term_cues = [], [], [], [], [], [], []
    reporting_start = {}  # end of a reporting cue -> its start
    for hit in hits:
        s, e, g = hit
        kind = kinds.get(g, 0)
        if kind & TERM:
            candidates.append(hit)
            if kind == TERM:
                continue
        if kind & EXEMPT:
            exempt.append((s, e))
        if kind & ATTRIBUTION:
            cues.append((s, e))
        if kind & REPORTING:
            reporting.append(e)
            reporting_start[e] = s
        if kind & SOURCE:
            sources.append(e)
        if kind & TERM_CUE:
            term_cues.append(e)
        if kind & RULE and not _gerund_subject(text, low, s):
            rule_clauses.append(e)
    if not candidates and not quotes:
        return []
    # Exempt phrases with punctuation ("cruel, inhuman or degrading treatment") need a
    # regex over the whole text: run it only when a flag is about to be kept, and only if
    # the text has every word of such a phrase.
    punctuated_pending = bool(rs.exempt_punctuated)

    def add_punctuated():
        if any(all(w in low for w in words) for words in rs.exempt_punctuated_markers):
            exempt.extend(_spans(rs.exempt_punctuated_re, text))
    if proper_names:
        if isinstance(proper_names, str):
            proper_names = (proper_names,)
        names = tuple(sorted({n.strip() for n in proper_names if isinstance(n, str) and n.strip()}))
        if names:
            exempt += _spans(_names_regex(names), text)
    bounds = _Bounds(text)
    exempt_spans = _Spans(exempt)
    own_attribution = {}  # quote index -> attributed by its own context?, computed when first needed
    attribution_of = {}  # quote index -> attributed?

    # the attribution cues' starts and ends, both sorted (phrases do not overlap)
    cue_starts, cue_ends = ([a for a, _ in cues], [b for _, b in cues]) if quotes else ((), ())

    def own(k):
        if k not in own_attribution:
            own_attribution[k] = _attributed(low, quotes[k], bounds, cue_starts, cue_ends, sources, rs)
        return own_attribution[k]

    def quote_attributed(k):
        """Attributed by its own context, or after an attributed quotation in the same
        sentence, which gives its source: 'The declaration "welcomes" the report and
        "encourages" members ...'. Found without recursion, each quotation once."""
        if k not in attribution_of:
            if own(k):
                attribution_of[k] = True
            else:
                start = _sentence_start(bounds, quotes[k][0])
                j = k  # back to the sentence's first quotation, or one already known
                while j and quotes[j - 1][0] >= start and j - 1 not in attribution_of:
                    j -= 1
                carried = bool(j) and quotes[j - 1][0] >= start and attribution_of[j - 1]
                for i in range(j, k):
                    carried = carried or own(i)
                    attribution_of[i] = carried
                attribution_of[k] = carried
        return attribution_of[k]

    quote_ends = [q[1] for q in quotes]  # sorted: quotations do not overlap

    def attributed_quote(s, e):
        k = bisect_right(quote_ends, s)  # the first quotation that ends after s
        if k < len(quotes) and quotes[k][0] < e:
            return quote_attributed(k)
        return False

    clause_end = {}  # end of a cue -> end of its clause (None: the text's), found when first needed
    relative = set()  # ends of reporting cues that open a relative clause ("which states that")
    commas = []  # where the commas of the text are, found when first needed

    def end_of_clause(pos):
        if pos not in clause_end:
            end = _sentence_end(bounds, pos - 1)
            start = reporting_start.get(pos)
            if start is not None and _relative_pronoun_before(text, start):
                relative.add(pos)
                if not commas:
                    commas.extend(m.start() for m in _COMMA.finditer(text))
                    commas.append(len(text) + 1)  # not empty any more, and after every end
                end = _relative_clause_end(commas, pos, len(text) if end is None else end, quotes, quote_ends)
            clause_end[pos] = end
        return clause_end[pos]

    def in_clause(ends, s):
        """Is `s` after one of the cue `ends` (sorted), in its clause: the rest of its
        sentence, or of a relative clause ("The Declaration, which states that ..., was
        endorsed")? Only the last cue at or before `s` need be asked, and the ones before
        it while they open relative clauses: another cue's clause ends no sooner."""
        i = bisect_right(ends, s)
        for j in range(i - 1, max(i - 9, -1), -1):
            end = end_of_clause(ends[j])
            if end is None or s < end:
                return True
            if ends[j] not in relative:
                return False
        return False

    law_first = {}  # sentence start -> end of "Under the <Law Name>" that opens it, or -1
    breaks = []  # where the words that end a clause ("but", "however" ...) are, found when first needed

    def quoted_term(s, ends, law_opening):
        """Is the quotation at `s` in the same clause as, and after, one of the cue `ends`
        (sorted), or, with `law_opening`, an opening "Under the <Law Name>"? A clause ends
        at "but", "however", "although" ... ("The Board outlines its plans, but its
        "consultation" ...")."""
        start = _sentence_start(bounds, s)
        k = bisect_right(ends, s)
        cue_end = ends[k - 1] if k and ends[k - 1] > start else -1
        if law_opening:
            if start not in law_first:  # once per sentence: a text of many quotations stays linear
                m = _UNDER_A_LAW_FIRST.match(text, start, min(len(text), start + 400))
                law_first[start] = m.end() if m else -1
            cue_end = max(cue_end, law_first[start] if law_first[start] <= s else -1)
        if cue_end < 0:
            return False
        if not breaks:  # once per text, then a bisect per quotation: linear however many
            breaks.extend(m.start() for m in _CLAUSE_BREAK.finditer(low))
            breaks.append(len(low) + 1)
        return breaks[bisect_left(breaks, cue_end)] >= s

    dated = {}  # sentence start -> has a time anchor with a year

    def dated_sentence(s):
        """Is there a time anchor followed by a year ("As of March 2025", "as at 31 Dec.
        2024") in the sentence of `s`, before or after it?"""
        start = _sentence_start(bounds, s)
        if start not in dated:
            end = _sentence_end(bounds, s) or len(text)
            found = False
            # (no year without a digit: most sentences end here)
            for m in rs.time_anchor_re.finditer(text, start, end) if _DIGIT.search(text, start, end) else ():
                if low[max(0, m.start() - 5) : m.start()].rstrip() in ("such", "same"):
                    continue  # "such as at the 2019 meeting", "the same as at ..."
                if _YEAR_AFTER.match(text, m.end(), end):
                    found = True
                    break
            dated[start] = found
        return dated[start]

    reported = rs.reported_clauses != "keep" and reporting
    unconditional = rs.unconditional
    flags: list[Flag] = []
    for s, cand_end, key in candidates:
        term = unconditional.get(key)
        if term is not None:
            e = cand_end
        else:
            best = _accept(rs, text, low, bounds, s, rs.by_phrase.get(key, ()), cand_end)
            if best is None:
                # The longest phrase here is ruled out by its context: try shorter ones.
                first = _FIRST_WORD.match(low, s)
                best = _accept(rs, text, low, bounds, s, rs.by_first_word.get(first.group(), ()) if first else ())
                if best is None:
                    continue
            term, e = best
        if punctuated_pending:
            punctuated_pending = False
            add_punctuated()
        if exempt and exempt_spans.overlaps(s, e):
            continue
        if text[s].isupper() and not term.in_names and (_looks_like_name(text, s, e) or _acronym(text, s, e)):
            continue
        rule_id, category, severity, message, suggestion = term.flag_fields
        if quotes and attributed_quote(s, e):
            if rs.attributed_quotes == "drop":
                continue
            severity = INFO
        elif reported and in_clause(reporting, s):
            if rs.reported_clauses == "drop":
                continue
            severity = INFO
        elif rule_clauses and rule_id in rs.rule_clause_rules and in_clause(rule_clauses, s):
            severity = INFO
        elif rule_id in rs.time_anchor_rules and rs.time_anchors and dated_sentence(s):
            severity = INFO
        match = text[s:e]
        message = match.join(message) if isinstance(message, tuple) else message.format(match=match)
        flags.append(_flag(s, e, rule_id, category, severity, message, suggestion, match))

    if quotes and rs.scare_quote_max_words:
        doubt = rs.rule_or_none("neutrality/doubt")
        if doubt is not None:
            # the flags so far do not overlap, so their ends are sorted like their starts;
            # a scare quote cannot overlap another (quotations do not overlap)
            term_ends = [f.end for f in flags]
            for q in quotes:
                s, e, is_, ie = q
                inner = text[is_:ie].strip()
                if not inner[:1].islower():
                    continue
                words = _WORDS.findall(inner)
                if not words or len(words) > rs.scare_quote_max_words:
                    continue
                if attributed_quote(s, e):
                    continue
                # a term quoted in what a law or rule provides is that text's term
                # ('The Convention requires that "dual criminality" ...', 'Under the EU AI
                # Act, "high-risk" AI systems ...'), and one quoted in reported speech the
                # speaker's ('The Rapporteur stated that it was "disproportionate"'): in
                # the same clause, not after "but" and the like
                severity = doubt.severity
                if quoted_term(s, term_cues, True):
                    severity = INFO
                elif reported and quoted_term(s, reporting, False):
                    if rs.reported_clauses == "drop":
                        continue
                    severity = INFO
                if punctuated_pending:
                    punctuated_pending = False
                    add_punctuated()
                if exempt and exempt_spans.overlaps(s, e):
                    continue
                k = bisect_right(term_ends, s)  # the first term flag that ends after s
                if k < len(term_ends) and flags[k].start < e:
                    continue
                match = text[s:e]
                flags.append(
                    Flag(
                        start=s,
                        end=e,
                        rule=doubt.id,
                        category=doubt.category,
                        severity=severity,
                        message=SCARE_QUOTE_MESSAGE.format(match=match),
                        suggestion=SCARE_QUOTE_SUGGESTION,
                        match=match,
                    )
                )
            flags.sort(key=lambda f: (f.start, f.end))
    return flags


# A reporting cue after one of these, written in lower case, opens a relative clause:
# "The Declaration, which states that the Internet should be "open", was endorsed by
# 61 partners" (not "The WHO said that ...").
_RELATIVE_PRONOUN = re.compile(r"(?:which|who|whom)[\s\u00a0]+\Z")
_COMMA = re.compile(",")


def _relative_pronoun_before(text: str, start: int) -> bool:
    """Is the word before `start` "which", "who" or "whom", in lower case?"""
    m = _RELATIVE_PRONOUN.search(text, max(0, start - 12), start)
    return m is not None and (m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"))


def _relative_clause_end(commas, pos, end, quotes, quote_ends) -> int:
    """Where a relative clause of reported speech that starts at `pos` ends: at the last
    comma outside a quotation between `pos` and `end` (its sentence's end), else at `end`.
    The comma that closes such a clause is the last one before the main clause goes on
    ("The rapporteur, who noted that the law, passed in haste, is draconian, resigned"),
    so commas of lists and asides inside it do not end it; a comma after the main verb
    ("..., was adopted in 2021, and is a landmark") ends it late, never early, so what it
    hides was hidden before too. `commas` is sorted and ends with a position after the
    text. Each step back skips a whole quotation: at most 20 steps."""
    i = bisect_left(commas, end) - 1
    for _ in range(20):
        if i < 0 or commas[i] <= pos:
            return end
        c = commas[i]
        k = bisect_right(quote_ends, c)  # the first quotation that ends after the comma
        if k < len(quotes) and quotes[k][0] < c:  # inside it: go on before it
            i = bisect_left(commas, quotes[k][0]) - 1
            continue
        return c
    return end


# Cue words that are also plural or compound nouns: right after a quotation, with nothing
# between, they are its head noun ('the company's "transparency" reports list ...'), not
# its source, unless a determiner or a name follows them ('"voluntary" notes the
# secretariat', '"open" states UNESCO').
_NOUN_CUES = frozenset(("report", "reports", "note", "notes", "record", "records", "call", "calls", "state", "states"))
_SPEAKER_AFTER = re.compile(r"[ \t\u00a0]{1,3}(?:(?:the|a|an|its|their|this|his|her|our)\b|[A-Z])")


def _attributed(low: str, quote, bounds, cue_starts, cue_ends, sources, rs=None) -> bool:
    """Is the quotation attributed to a source (a cue before it in its sentence, a cue
    just after it, or the name of a document right before it), or a title (one that
    starts with a capital letter right after a `quoted_titles` noun)? The cues' starts
    and ends and the sources' ends are sorted (phrases do not overlap), so each test is
    a bisect: a text of many quotations and cues costs n log n."""
    s, e, _, _ = quote
    # of the cues before the quotation, the last one starts latest: is it in its sentence?
    k = bisect_right(cue_ends, s)
    if k and _sentence_start(bounds, s) <= cue_starts[k - 1]:
        return True
    # a cue that starts within 60 characters after it, four words at most between them
    i = bisect_left(cue_starts, e)
    while i < len(cue_starts) and cue_starts[i] <= e + 60:
        a = cue_starts[i]
        if not _SENTENCE_END.search(low, e, a) and len(_WORDS.findall(low, e, a)) <= 4:
            if low[e:a].strip() or low[a : cue_ends[i]] not in _NOUN_CUES:
                return True
            if _SPEAKER_AFTER.match(bounds.text, cue_ends[i]):
                return True
        i += 1
    # a document's name right before it: if any, the last one before it is
    k = bisect_right(sources, s)
    if k and not low[sources[k - 1] : s].strip(" \t,:"):
        return True
    # a title: 'the strategy "A Digital Decade for children and youth: the new ..."'
    if rs is not None and rs.title_phrases and bounds.text[quote[2] : quote[2] + 1].isupper():
        lo = max(0, s - 60)
        before = low[lo:s].rstrip(" \t\u00a0,:")
        if before[-1:].isalnum():  # not "the report's", not after a bracket
            words = _last_words(before, 0, len(before), rs.title_max_words)
            for k in range(1, len(words) + 1):
                if " ".join(words[-k:]) in rs.title_phrases:
                    return True
    # a term that a named law defines: 'A "trusted flagger" under the Digital Services Act'
    return _UNDER_A_LAW.match(bounds.text, e) is not None


# Right after a quotation: "under the" name of a law, treaty or other instrument
# (Capitalised Words ending in one of these nouns). The spaces are bounded: a run of
# them tried against two stars would cost n * n.
_LAW_NAME = (
    r"(?:[A-Z][\w'\u2019-]*[ \u00a0]+(?:(?:of|on|for|and) (?:the )?)?){0,8}"
    r"(?:Act|Regulation|Directive|Convention|Treaty|Code|Agreement|Law|Charter|Protocol|Framework|Rules|Guidelines|Principles|Recommendation|Declaration|Resolution)"
)
# A sentence that opens with the name of a law: 'Under the EU AI Act, "high-risk" AI
# systems are subject to ...' (the quotation is the law's term).
_CLAUSE_BREAK = re.compile(r"\b(?:but|however|although|though|yet|whereas|while)\b")
_UNDER_A_LAW_FIRST = re.compile(rf"[ \t\u00a0\n\"'\u201c\u2018(]{{0,3}}(?:Under|Pursuant to) the {_LAW_NAME}\b")
_UNDER_A_LAW = re.compile(rf"[ \t\u00a0]{{0,3}}(?:,[ \t\u00a0]{{0,3}})?\(?under the {_LAW_NAME}\b")
