"""The written files: full table without JavaScript, escaping of hostile
text in every format, CSV columns, verification marks, links."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.site import model, render
from bot.site.model import FIELDS
from tests.publishing.registry import HOSTILE


@pytest.fixture
def site(loaded, tmp_path):
    rows, vocab = loaded
    out = tmp_path / "site"
    repo = render.Repository.parse("example-org/igov-registry")
    render.write_site(render.SiteData(rows, vocab, model.first_publication("test"), "2026-11-29", repo), out)
    return out


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's parser sees them."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(path):
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def test_every_html_page_is_free_of_injected_markup(site):
    pages = [site / "index.html", site / "coverage.html", site / "changes.html", *sorted((site / "entries").glob("*.html"))]
    assert len(pages) == 8
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = tags(page)
        scripts = [a for t, a in found if t == "script"]
        assert all(a.get("src", "").endswith("static/filter.js") for a in scripts), page
        assert not [t for t, _ in found if t in ("img", "iframe", "object", "embed", "b")], page
        assert not [a for _, a in found if any(k.startswith("on") for k in a)], page
        for _, attrs in found:
            href = attrs.get("href")
            if href is not None:
                assert not href.lower().lstrip().startswith(("javascript:", "data:")), (page, href)
        assert "<script>alert" not in text and "<script>gap" not in text
    entry = (site / "entries" / "hostile-entry.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in entry
    assert "&lt;b&gt;bold&lt;/b&gt; source" in entry


def test_non_web_urls_are_never_links():
    env = render.environment()
    page = env.from_string('{% from "_macros.html" import link %}{{ link(l) }}')
    for url in ("javascript:alert(1)", "data:text/html,<script>x</script>", '"><svg onload=x>'):
        html = page.render(l=model.Link(url, "label"))
        assert "<a" not in html and "<svg" not in html and "<script" not in html
    html = page.render(l=model.Link('https://example.org/?q="><x', "t"))
    assert "<a" not in html  # quotes and brackets in a URL: not trusted as a link
    assert 'href="https://example.org/a?b=1&amp;c=2"' in page.render(l=model.Link("https://example.org/a?b=1&c=2", "t"))


def test_autoescape_is_on_for_every_template():
    env = render.environment()
    assert env.from_string("{{ x }}").render(x="<i>") == "&lt;i&gt;"
    for name in env.list_templates():
        assert "|safe" not in (render.TEMPLATES / name).read_text(), name
        assert "autoescape false" not in (render.TEMPLATES / name).read_text(), name


def test_index_holds_the_full_table_without_javascript(site, loaded):
    rows, _ = loaded
    found = tags(site / "index.html")
    entries = [a["data-entry"] for t, a in found if t == "tr" and "data-entry" in a]
    assert sorted(entries) == sorted(r.id for r in rows)
    assert not [a for t, a in found if t == "tr" and "data-entry" in a and "hidden" in a]
    headers = [a for t, a in found if t == "th"]
    assert sum(1 for a in headers if a.get("scope") == "col") >= 6 * 7
    assert sum(1 for a in headers if a.get("scope") == "row") == len(rows)
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<main id="main"' in html and "<nav" in html and "<footer" in html
    assert html.count("Awaiting verification</span>") == 2


def test_entry_page_has_fields_sources_review_date_and_links(site):
    html = (site / "entries" / "cert-network.html").read_text(encoding="utf-8")
    for text in ("Regional CERT Network", "Oceania", "Technical community", "Small members lack trained staff.", "2026-01-15", "Sources", "Verified against the sources"):
        assert text in html, text
    assert 'href="https://github.com/example-org/igov-registry/issues/new?template=correct-entry.yml&amp;entry=cert-network' in html
    assert 'href="https://github.com/example-org/igov-registry/commits/main/entries/cert-network.yaml"' in html
    pending = (site / "entries" / "privacy-forum.html").read_text(encoding="utf-8")
    assert "Awaiting verification" in pending


def test_links_left_out_without_a_repository(loaded, tmp_path):
    rows, vocab = loaded
    render.write_site(render.SiteData(rows, vocab, model.first_publication(), "2026-11-29", None), tmp_path)
    html = (tmp_path / "entries" / "cert-network.html").read_text(encoding="utf-8")
    assert "github.com" not in html and "--repo OWNER/NAME" in html


def test_repository_names_are_checked_and_urls_encoded():
    repo = render.Repository.parse("org/name.x", "release/1 2")
    assert repo.history_url("a-b") == "https://github.com/org/name.x/commits/release%2F1%202/entries/a-b.yaml"
    assert "entry=a-b" in repo.correction_url("a-b") and "&title=Correction%3A%20a-b" in repo.correction_url("a-b")
    for bad in ("org", "org/name/x", "../x/y", "org/na me", "org/x?y", "org/<x>"):
        with pytest.raises(ValueError):
            render.Repository.parse(bad)
    assert render.Repository.parse("") is None


@pytest.mark.parametrize("entry_id", ["a-b", "cert-network", "x1-2-3", "A-b", "a b", "a/b", "a?b&c=d", "é-x", "a--b", "-a", "a.b", ""])
@pytest.mark.parametrize("name, branch", [("org/name.x", "release/1 2"), ("example-org/registry", "main"), ("o-1/n_2.x", "a&b")])
def test_repository_urls_are_urllib_quoted(name, branch, entry_id):
    """The shortcut for ids that need no quoting gives urllib's URLs."""
    from urllib.parse import quote, urlencode

    repo = render.Repository.parse(name, branch)
    owner, repo_name = name.split("/")
    base = f"https://github.com/{quote(owner, safe='')}/{quote(repo_name, safe='')}"
    query = urlencode({"template": render.CORRECTION_TEMPLATE, "entry": entry_id, "title": f"Correction: {entry_id}"}, quote_via=quote)
    assert repo.correction_url(entry_id) == f"{base}/issues/new?{query}"
    assert repo.history_url(entry_id) == f"{base}/commits/{quote(branch, safe='')}/entries/{quote(entry_id, safe='')}.yaml"
    assert repo.source_url(entry_id) == f"{base}/blob/{quote(branch, safe='')}/entries/{quote(entry_id, safe='')}.yaml"


def test_csv_has_all_fields_in_stable_order_and_no_formulas(site, loaded):
    rows, _ = loaded
    text = (site / "mapping.csv").read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(text)))
    assert tuple(table[0]) == FIELDS
    assert [r[0] for r in table[1:]] == sorted(r.id for r in rows)
    for line in table[1:]:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    hostile = next(r for r in table if r[0] == "hostile-entry")
    record = dict(zip(FIELDS, hostile))
    assert record["acronym"] == "'=1+1"
    assert record["organizations"].startswith("'=HYPERLINK(")
    assert record["verification"] == "pending"
    assert dict(zip(FIELDS, next(r for r in table if r[0] == "cert-network")))["stakeholders"] == (
        "governments: member; technical-community: member; civil-society: none"
    )


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "\n=1", "\uff1d1"])
def test_csv_cell_neutralises_formulas(value):
    assert render.csv_cell(value).startswith("'")


def test_csv_cell_leaves_ordinary_text():
    assert render.csv_cell("OECD (2011) - principles") == "OECD (2011) - principles"
    assert render.csv_cell(None) == ""


def test_json_has_all_fields_in_order(site):
    data = json.loads((site / "mapping.json").read_text(encoding="utf-8"))
    assert data["fields"] == list(FIELDS) and data["count"] == 5 and data["awaiting_verification"] == 2
    for item in data["entries"]:
        assert tuple(item) == FIELDS
    hostile = next(e for e in data["entries"] if e["id"] == "hostile-entry")
    assert hostile["name"].startswith(HOSTILE["script"])  # data stays data in JSON


def test_markdown_cells_cannot_break_the_table_or_inject(site):
    md = (site / "mapping.md").read_text(encoding="utf-8")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line and "Mechanism |" not in line]
    assert len(rows) == 5
    for line in rows:
        cells = re.split(r"(?<!\\)\|", line)[1:-1]  # unescaped pipes only
        assert len(cells) == 7, line
    hostile = next(line for line in rows if "HYPERLINK" in line)
    assert "<script" not in hostile and "<img" not in hostile
    assert "&lt;script" in hostile and "\\[a link\\]\\(javascript:alert\\(1\\)\\)" in hostile
    assert "Org \\| With \\| Pipes" in hostile
    assert "**(awaiting verification)**" in hostile
    assert "[example.org](https://example.org/hostile?a=1&b=%22%3E)" in hostile


def test_markdown_helpers():
    assert render.md_text("a|b\nc") == "a\\|b c"
    assert render.md_text("<img src=x onerror=y>") == "&lt;img src=x onerror=y\\>"
    assert render.md_text("&lt;") == "&amp;lt;"
    assert render.md_link(model.Link("javascript:alert(1)", "x")) == "javascript:alert\\(1\\)"
    assert render.md_link(model.Link("https://e.org/a(b)|d", "e.org")) == "[e.org](https://e.org/a%28b%29%7Cd)"
    assert render.md_link(model.Link("https://e.org/a b", "e.org")) == "https://e.org/a b"  # not a safe URL: text


def test_coverage_page_prints_numbers_and_colour_bands(site):
    found = tags(site / "coverage.html")
    cells = [a for t, a in found if t == "td" and "heat" in a.get("class", "")]
    assert cells and all(re.search(r"\bh[0-4]\b", a["class"]) for a in cells)
    html = (site / "coverage.html").read_text(encoding="utf-8")
    assert "Issue areas with no mechanism" in html and "Root zone" in html
    cov = json.loads((site / "coverage.json").read_text(encoding="utf-8"))
    assert cov["stakeholders"]["rows"]["cybersecurity"]["technical-community"] == 2
    assert cov["gaps_by_type"]["capacity"] == 1


def test_changes_text_is_plain_and_forwardable():
    log = model.diff_entries(
        "published-2026-10-01",
        {"gone": {"name": "Gone <b>"}, "a": {"name": "A", "scope": "national"}},
        {"a": {"name": "A", "scope": "regional"}, "new": {"name": "New\nline"}},
    )
    text = render.render_changes_text(log, 2, "2026-11-29")
    assert "Since the previous publication (published-2026-10-01):" in text
    assert "Added (1):\n- New line (new)" in text
    assert "Changed (1):\n- A (a): scope" in text
    assert "Removed (1):\n- Gone <b> (gone)" in text
    first = render.render_changes_text(model.first_publication("no tag"), 3, "2026-11-29")
    assert "first publication" in first and "3 mechanisms" in first


@pytest.mark.parametrize("count", [0, 1, 3])
def test_mapping_json_is_json_dumps_of_the_payload(loaded, count):
    """mapping.json is written an entry at a time: the same text as one
    json.dumps of the whole payload."""
    rows, _ = loaded
    rows = sorted(rows, key=lambda r: r.id)[:count]
    payload = {
        "title": render.SITE_TITLE,
        "fields": list(FIELDS),
        "count": len(rows),
        "awaiting_verification": sum(1 for r in rows if r.pending),
        "since": "published-x",
        "entries": [render.entry_json(r) for r in rows],
    }
    changelog = model.Changelog("published-x")
    assert render.render_json(rows, changelog) == json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("batch", [1, 2, 3, 1000])
def test_mapping_md_in_pieces_is_the_whole_text(loaded, monkeypatch, batch):
    """mapping.md is written in pieces: the same text as joining every line
    and stripping the end once (trailing blank lines included)."""
    rows, vocab = loaded
    groups = model.group_rows(rows, vocab)
    lines = list(render._markdown_lines(groups, rows, 1, []))
    monkeypatch.setattr(render, "_MD_BATCH", batch)
    assert render.render_markdown(groups, rows, 1, []) == "\n".join(lines).rstrip() + "\n"
    assert lines[-1] == ""  # the stripping is exercised


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON_VALUES)
@settings(max_examples=300, deadline=None)
def test_json_writer_is_json_dumps(value):
    for newline in ("\n", "\n  "):
        assert render._json_indented(value, newline) == json.dumps(value, ensure_ascii=False, indent=1).replace("\n", newline)


def test_json_writer_falls_back_for_unusual_values():
    for value in ({1: "a"}, {"a": (1, 2.5)}, [float("nan")], {"x": {True: None}}):
        assert render._json_indented(value, "\n") == json.dumps(value, ensure_ascii=False, indent=1)
