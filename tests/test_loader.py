"""The hostile-input loader: positions, resolution, limits, and a property
test that any bytes give findings, never an exception."""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import loading
from bot.loading import MAX_BYTES, load_text
from tests.conftest import EXAMPLES, entry_text


def span_of(doc, key, word):
    node = doc.root.child(key)
    start = node.value.index(word)
    return doc.text_span(node, start, start + len(word))


STYLES = """\
plain: A plain value with landmark
  words folded onto landmark2 lines
single: 'It''s a landmark, isn''t it'
double: "An \\u00e9scape then landmark \\"quoted\\"
  and landmark2 folded"
literal: |
  first line
    indented landmark
  last landmark2
folded: >-
  The folded
  landmark text

  next landmark2 paragraph
"""


@pytest.mark.parametrize(
    "key,word,expected",
    [
        ("plain", "landmark", (1, 27, 1, 35)),
        ("plain", "landmark2", (2, 21, 2, 30)),
        ("single", "landmark", (3, 18, 3, 26)),
        ("double", "landmark", (4, 30, 4, 38)),
        ("double", "landmark2", (5, 7, 5, 16)),
        ("literal", "landmark", (8, 14, 8, 22)),
        ("literal", "landmark2", (9, 8, 9, 17)),
        ("folded", "landmark", (12, 3, 12, 11)),
        ("folded", "landmark2", (14, 8, 14, 17)),
    ],
)
def test_text_span_inside_each_scalar_style(key, word, expected):
    doc = load_text("f.yaml", STYLES)
    assert doc.ok, doc.findings
    span = span_of(doc, key, word)
    assert (span.line, span.column, span.end_line, span.end_column) == expected
    line = doc.line_text(span.line)
    assert line[span.column - 1 : span.end_column - 1] == word


def test_span_over_a_folded_line_break_ends_on_the_next_line():
    doc = load_text("f.yaml", "d: >\n  has had a direct\n  and positive impact\n")
    node = doc.root.child("d")
    start = node.value.index("direct")
    span = doc.text_span(node, start, start + len("direct and positive"))
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 13, 3, 15)


def test_columns_count_code_points_not_bytes():
    doc = load_text("f.yaml", "name: Réseau des CERT — landmark\n")
    span = span_of(doc, "name", "landmark")
    assert (span.line, span.column) == (1, 25)


def test_plain_scalars_resolve_with_yaml_1_2_core_schema_and_dates_stay_text():
    doc = load_text("f.yaml", "a: 2026-01-15\nb: yes\nc: no\nd: 12\ne: 1.5\nf: ~\ng: true\nh: '12'\ni: 0x1F\nj: .inf\n")
    assert doc.data == {"a": "2026-01-15", "b": "yes", "c": "no", "d": 12, "e": 1.5, "f": None, "g": True, "h": "12", "i": 31, "j": float("inf")}


def test_too_large_file_is_refused_before_parsing():
    doc = load_text("big.yaml", b"description: " + b"x" * MAX_BYTES)
    assert [f.rule for f in doc.findings] == ["yaml/too-large"]
    assert f"{MAX_BYTES + 13:,} bytes" in doc.findings[0].message


def test_bom_is_accepted():
    doc = load_text("f.yaml", b"\xef\xbb\xbfid: x\n")
    assert doc.ok and doc.data == {"id": "x"}


def test_alias_bomb_is_refused_quickly_and_nothing_is_expanded():
    raw = (EXAMPLES / "invalid" / "alias-bomb.yaml").read_bytes()
    doc = load_text("bomb.yaml", raw)
    # nothing was expanded: each alias is a null placeholder
    assert doc.data == {"a": ["lol"] * 9, **{key: [None] * 9 for key in "bcdefghi"}}
    assert {f.rule for f in doc.findings} == {"yaml/anchor", "yaml/alias"}
    assert len(doc.findings) <= 2 * loading.MAX_FINDINGS_PER_KIND


@pytest.mark.parametrize("opener", ["[", "{", "- "])
def test_pathological_nesting_is_a_finding(opener):
    raw = "a: " + opener * 20000
    doc = load_text("deep.yaml", raw)
    rules = [f.rule for f in doc.findings if f.is_error]
    assert {"yaml/too-deep", "yaml/syntax"} & set(rules)
    assert len(rules) <= 2 * loading.MAX_FINDINGS_PER_KIND


def test_python_tags_are_never_constructed(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    raw = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    doc = load_text("f.yaml", raw)
    assert not marker.exists()
    assert [f.rule for f in doc.findings] == ["yaml/tag"]


def test_duplicate_key_names_the_first_line():
    doc = load_text("f.yaml", "id: a\nname: x\nid: b\n")
    (finding,) = doc.findings
    assert finding.rule == "yaml/duplicate-key" and "line 1" in finding.message
    assert (finding.line, finding.column, finding.end_column) == (3, 1, 3)


def test_crlf_line_endings_keep_positions():
    doc = load_text("f.yaml", "id: a\r\nscope: internationl\r\n")
    node = doc.root.child("scope")
    assert (node.line, node.column) == (2, 8)


# ---------------------------------------------------------------------------
# Property tests: whatever comes in, only findings come out.

MUTATIONS = st.sampled_from(
    [":", "-", "[", "]", "{", "}", "&a", "*a", "!!python/object:os.system", "'", '"', "\t", "\n", "%YAML 1.2\n---\n", "\x00", "\u202e", "|", ">", "#", "? ", "é", "\r", "---\n", "...\n", "@", "`", "\\"]
)


@st.composite
def mutated_entries(draw):
    text = entry_text()
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:position] + draw(MUTATIONS) + text[position:]
        else:
            text = text[:position] + text[position + draw(st.integers(1, 5)) :]
    return text.encode("utf-8", "surrogatepass")


def _only_findings(raw: bytes):
    doc = load_text("fuzz.yaml", raw)
    for f in doc.findings:
        assert f.line >= 1 and f.column >= 1 and f.message
        assert (f.end_line, f.end_column) >= (f.line, f.column)
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_give_only_findings(raw):
    _only_findings(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_entries())
def test_mutated_entries_give_only_findings(raw):
    from bot.registry import check_document

    ctx = _context()
    doc = _only_findings(raw)
    checked = check_document(doc, ctx)
    for f in checked.findings:
        assert f.rule.split("/")[0] in {"yaml", "schema", "registry", "neutrality"}


_CTX = {}


def _context():
    from bot.project import find_project
    from bot.registry import Context

    if "ctx" not in _CTX:
        from tests.conftest import ROOT

        _CTX["ctx"] = Context.load(find_project(ROOT))
    return _CTX["ctx"]


def test_alias_as_the_whole_document_is_a_finding():
    # found by the property test: an alias with no parent collection
    doc = load_text("f.yaml", b"*-")
    assert [f.rule for f in doc.findings] == ["yaml/alias"]
