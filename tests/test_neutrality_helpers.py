"""The scan's hand-written text helpers give what the regexes they replace give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.neutrality.scan import _last_words, _prev_word

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
