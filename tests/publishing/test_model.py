"""The mapping as data: grouping, coverage counts, gaps, changelog diff."""

from bot.site import model


def by_id(rows):
    return {r.id: r for r in rows}


def test_rows_carry_titles_and_verification(loaded):
    rows, _ = loaded
    rows = by_id(rows)
    cert = rows["cert-network"]
    assert cert.issue_titles == ("Cybersecurity", "Capacity development")
    assert cert.clusters == ("security", "development")
    assert cert.regions == ("Oceania",)
    assert cert.taking_part == ("governments", "technical-community")  # civil-society: none
    assert not cert.pending and rows["privacy-forum"].pending
    assert rows["national-dns-board"].verification is None


def test_each_mechanism_once_under_its_first_issue_and_also_elsewhere(loaded):
    rows, vocab = loaded
    groups = model.group_rows(rows, vocab)
    placed = [r.id for c in groups for i in c.issues for r in i.rows]
    assert sorted(placed) == sorted(r.id for r in rows)
    issues = {i.slug: i for c in groups for i in c.issues}
    assert [r.id for r in issues["cybersecurity"].rows] == ["cert-network"]
    assert [r.id for r in issues["cybersecurity"].also] == ["spam-coalition"]
    assert [r.id for r in issues["capacity-development"].also] == ["cert-network"]
    assert [c.slug for c in groups] == [c.slug for c in vocab.clusters]


def test_stakeholder_coverage_counts(loaded):
    rows, vocab = loaded
    m = model.stakeholder_matrix(rows, vocab)
    assert m.cell("cybersecurity", "technical-community") == 2  # cert-network, spam-coalition
    assert m.cell("cybersecurity", "governments") == 1
    assert m.cell("cybersecurity", "civil-society") == 0  # recorded as `none`
    assert m.cell("privacy-and-data-protection", "civil-society") == 1
    assert m.cell("privacy-and-data-protection", "private-sector") == 1  # consulted counts
    assert m.cell("spam", "private-sector") == 1
    totals = {r.slug: r.total for r in m.rows}
    assert totals["cybersecurity"] == 2 and totals["cybercrime"] == 1 and totals["root-zone"] == 0
    assert m.maximum == 2


def test_scope_coverage_and_uncovered(loaded):
    rows, vocab = loaded
    m = model.scope_matrix(rows, vocab)
    assert m.cell("cybersecurity", "regional") == 1 and m.cell("cybersecurity", "international") == 1
    assert m.cell("domain-name-system", "national") == 1
    uncovered = dict(model.uncovered_issues(rows, vocab))
    assert "root-zone" in uncovered and "cybersecurity" not in uncovered
    assert len(uncovered) == len(vocab.issue_areas) - 6  # six issue areas are used


def test_gaps_by_type_and_matrix(loaded):
    rows, vocab = loaded
    groups = {g.type: g for g in model.gaps_by_type(rows, vocab)}
    assert [r.id for r, _ in groups["capacity"].items] == ["cert-network"]
    assert len(groups["awareness"].items) == 1 and len(groups["implementation"].items) == 0
    m = model.gap_matrix(rows, vocab)
    assert m.cell("cybersecurity", "capacity") == 1
    assert m.cell("capacity-development", "capacity") == 0  # the gap names its issue area
    assert m.cell("domain-name-system", "awareness") == 1  # no issue area: the entry's


def test_heat_levels():
    assert [model.heat_level(n, 8) for n in (0, 1, 2, 3, 5, 7, 8)] == [0, 1, 1, 2, 3, 4, 4]
    assert model.heat_level(3, 0) == 0


def test_only_web_urls_are_links():
    assert model.is_web_url("https://example.org/a?b=1")
    assert model.is_web_url("HTTP://EXAMPLE.ORG")
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "data:text/html,<x>", "//evil.example", "/relative", "http://", "https://a b", 'https://x"onmouseover=1', None):
        assert not model.is_web_url(bad), bad


def test_summary_cuts_long_descriptions():
    text = "word " * 300 + "\n\nsecond paragraph"
    summary = model.summarise(text)
    assert len(summary) <= model.SUMMARY_CHARS + 2 and summary.endswith("…")
    assert model.summarise("one\n\ntwo") == "one"


def test_changelog_diff_names_changed_fields():
    old = {"a": {"id": "a", "name": "A", "scope": "national"}, "b": {"id": "b", "name": "B"}, "c": None, "same": {"id": "same"}}
    new = {"a": {"id": "a", "name": "A", "scope": "regional", "urls": ["https://x.org"]}, "c": {"id": "c", "name": "C"}, "d": {"id": "d", "name": "D"}, "same": {"id": "same"}}
    log = model.diff_entries("published-1", old, new, unchanged={"same"})
    assert [c.id for c in log.added] == ["d"]
    assert [(c.id, c.fields) for c in log.changed] == [("a", ("scope", "urls")), ("c", ())]
    assert log.changed[1].note
    assert [(c.id, c.name) for c in log.removed] == [("b", "B")]
    assert not log.first and not log.empty
    assert model.first_publication("why").first
