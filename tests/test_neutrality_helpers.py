"""The scan's hand-written text helpers give what the regexes they replace give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.neutrality.scan import _Bounds, _last_words, _local_sentence_start, _prev_word, _sentence_bounds, _sentence_of

_PREV_WORD = re.compile(r"([^\W_]+)[\s\u00a0\-]*$")
_WORDS = re.compile(r"[^\W_]+")

# Letters, digits, underscores, spaces of several kinds, hyphens, punctuation, and
# letters outside ASCII (an upper-case I with a dot, a Kelvin sign, an accent alone).
_ALPHABET = "aZ9_ -\u2010.,'\n\t\u00a0\u2003\u00e9\u0130\u212a\u0301\u00b2\u0663"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80), st.integers(0, 90))
def test_prev_word_is_the_regex(text, s):
    s = min(s, len(text))
    m = _PREV_WORD.search(text, max(0, s - 40), s)
    assert _prev_word(text, s) == (m.group(1) if m else None)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80), st.integers(0, 90), st.integers(0, 90))
def test_last_words_are_the_regex(text, lo, hi):
    hi = min(hi, len(text))
    assert _last_words(text, lo, hi) == _WORDS.findall(text, lo, hi)[-2:]


# Sentence stops: . ! ? ; before a space, quote or bracket; a line break; abbreviations.
_SENTENCE_ALPHABET = "aI9_ .!;\n\"')\u00a0\u017f\u212a"
_SENTENCE_PIECES = st.sampled_from(
    ["Jan", "jan", "JAN", "Sept", "e.g", "U.S", "Dr", "st", "\u017ft", "x_no", "1st", "et al", "I", "B", "\u00e9",
     "No", "no", "Art", "paras", " 5", "\u0663", "\u00b2", "\u00a0"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=_SENTENCE_ALPHABET, max_size=6), _SENTENCE_PIECES), max_size=14), st.integers(0, 120))
def test_the_local_sentence_finders_agree_with_the_sentence_bounds(pieces, pos):
    """_sentence_of on a fresh _Bounds (rfind from `pos`), and _local_sentence_start when
    the sentence is short, give what splitting the whole text gives."""
    text = "".join(pieces)
    pos = min(pos, len(text))
    starts = _sentence_bounds(text)
    assert _sentence_of(_Bounds(text), pos) == _sentence_of(starts, pos)
    start = _sentence_of(starts, pos)[0]
    if pos - start < 200:
        assert _local_sentence_start(text, pos) == start
