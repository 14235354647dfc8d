"""The cache of expanded rule tables (~/.cache/igov-registry-bot/neutrality-tables-*):
used only when signed and written for the same rules file bytes; never for a problem."""

import pytest

from bot.neutrality import RulesError, load_rules, parse_rules, scan
from bot.neutrality import rules as rules_module

RULES = rules_module.DEFAULT_RULES_PATH.read_text(encoding="utf-8")
TEXT = "It is a landmark, world-class initiative; critics say it is 'a sham'."


def _flags(rs):
    return [(f.start, f.end, f.rule, f.severity, f.message, f.match) for f in scan(TEXT, rules=rs)]


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("IGOV_NO_RULES_CACHE", raising=False)
    rules_module._cache.clear()
    yield tmp_path / "cache" / "igov-registry-bot"
    rules_module._cache.clear()


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_cached_tables_give_the_same_flags(cache_home, tmp_path):
    p = _write(tmp_path, "rules.yaml", RULES)
    first = load_rules(p)
    files = list(cache_home.glob("neutrality-tables-*.pickle"))
    assert len(files) == 1
    rules_module._cache.clear()
    second = load_rules(p)
    assert second is not first
    assert second.path == str(p)
    assert _flags(second) == _flags(first) == _flags(parse_rules(RULES))
    assert second.kinds == first.kinds and second.prefixes == first.prefixes


def test_a_tampered_cache_file_is_not_used(cache_home, tmp_path, monkeypatch):
    p = _write(tmp_path, "rules.yaml", RULES)
    load_rules(p)
    (cache_file,) = cache_home.glob("neutrality-tables-*.pickle")
    blob = bytearray(cache_file.read_bytes())
    blob[-5] ^= 1
    cache_file.write_bytes(bytes(blob))
    rules_module._cache.clear()
    calls = []
    real = rules_module.parse_rules
    monkeypatch.setattr(rules_module, "parse_rules", lambda *a, **k: calls.append(1) or real(*a, **k))
    rs = load_rules(p)
    assert calls == [1]  # parsed again, not unpickled
    assert _flags(rs) == _flags(parse_rules(RULES))


def test_changed_rules_are_parsed_again(cache_home, tmp_path):
    p = _write(tmp_path, "rules.yaml", RULES)
    load_rules(p)
    rules_module._cache.clear()
    changed = RULES.replace("scare_quote_max_words: 3", "scare_quote_max_words: 0")
    assert changed != RULES
    p2 = _write(tmp_path, "rules2.yaml", changed)
    assert load_rules(p2).scare_quote_max_words == 0
    assert len(list(cache_home.glob("neutrality-tables-*.pickle"))) == 2


def test_a_rules_file_with_a_problem_is_never_cached(cache_home, tmp_path):
    p = _write(tmp_path, "bad.yaml", RULES.replace("version: 1", "version: 2", 1))
    for _ in range(2):
        with pytest.raises(RulesError, match="version: 1"):
            load_rules(p)
        rules_module._cache.clear()
    assert not list(cache_home.glob("neutrality-tables-*.pickle"))


def test_the_cache_can_be_turned_off(cache_home, tmp_path, monkeypatch):
    monkeypatch.setenv("IGOV_NO_RULES_CACHE", "1")
    load_rules(_write(tmp_path, "rules.yaml", RULES))
    assert not list(cache_home.glob("neutrality-tables-*.pickle"))


def test_a_rules_file_with_crlf_line_ends_loads_as_before(cache_home, tmp_path):
    p = tmp_path / "crlf.yaml"
    p.write_bytes(RULES.replace("\n", "\r\n").encode("utf-8"))
    rs = load_rules(p)
    assert _flags(rs) == _flags(parse_rules(RULES))
