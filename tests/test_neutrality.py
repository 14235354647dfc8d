"""The neutral-wording checker: rules behaviour, spans, names, quotations, identity."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.findings import INFO, WARNING
from bot.neutrality import Flag, RulesError, load_rules, parse_rules, scan
from bot.neutrality.rules import DEFAULT_RULES_PATH, inflections


def flagged(text, **kw):
    return [(f.rule, f.match) for f in scan(text, **kw)]


def rules_of(text, **kw):
    return {f.rule for f in scan(text, **kw) if f.severity == WARNING}


# --- the rules file -----------------------------------------------------------------


def test_default_rules_file_is_in_schema_and_loads():
    assert DEFAULT_RULES_PATH.parts[-3:] == ("schema", "neutrality", "rules.yaml")
    rs = load_rules()
    ids = {r.id for r in rs.rules}
    assert {
        "neutrality/puffery",
        "neutrality/editorialising",
        "neutrality/weasel",
        "neutrality/loaded-label",
        "neutrality/doubt",
        "neutrality/reporting-verb",
        "neutrality/relative-time",
        "neutrality/advocacy",
    } <= ids
    for r in rs.rules:
        assert r.message and r.suggestion and r.category and r.severity == WARNING


def test_rules_are_compiled_once_and_cached():
    assert load_rules() is load_rules()
    assert load_rules(DEFAULT_RULES_PATH) is load_rules()


# --- what it flags, one example per category ----------------------------------------------

@pytest.mark.parametrize(
    "text, rule",
    [
        ("The checklist is a landmark instrument.", "neutrality/puffery"),
        ("ICANN runs a world-class security team.", "neutrality/puffery"),
        ("The memorandum has been highly successful.", "neutrality/puffery"),
        ("The programme has had a direct and positive impact on access.", "neutrality/puffery"),
        ("We are proud to host the forum.", "neutrality/puffery"),
        ("Our organisation brings together 40 teams.", "neutrality/puffery"),
        ("Unfortunately, the checklist has no monitoring.", "neutrality/editorialising"),
        ("Needless to say, the meetings are open.", "neutrality/editorialising"),
        ("It is widely believed that spam fell.", "neutrality/weasel"),
        ("Experts agree that the framework works.", "neutrality/weasel"),
        ("Research has shown that take-up rose.", "neutrality/weasel"),
        ("Many observers consider the forum inclusive.", "neutrality/weasel"),
        ("The so-called multistakeholder model was adopted.", "neutrality/loaded-label"),
        ("The regime imposed new rules.", "neutrality/loaded-label"),
        ("The forum is a talking shop.", "neutrality/loaded-label"),
        ("The alleged benefits were not measured.", "neutrality/doubt"),
        ("The 'defector' gave evidence.", "neutrality/doubt"),
        ("The secretariat admitted that the database was old.", "neutrality/reporting-verb"),
        ("The audit revealed gaps in funding.", "neutrality/reporting-verb"),
        ("The group recently published a handbook.", "neutrality/relative-time"),
        ("Last year the forum added a track.", "neutrality/relative-time"),
        ("To date, 23 economies have reported.", "neutrality/relative-time"),
        ("All economies should adopt the checklist.", "neutrality/advocacy"),
        ("Governments must join the convention.", "neutrality/advocacy"),
        ("The principles are a vital tool for policy makers.", "neutrality/advocacy"),
        ("The chairman opened the session.", "neutrality/gendered-language"),
        ("The founder passed away in 2010.", "neutrality/euphemism"),
        ("The conference was a truly dazzling affair.", "neutrality/evaluative"),
        ("The emmy award-winning journalist moderated.", "neutrality/puffery"),
    ],
)
def test_each_category_is_flagged(text, rule):
    assert rule in rules_of(text)


@pytest.mark.parametrize("word", ["pioneer", "pioneers", "pioneered", "pioneering"])
def test_inflections_match(word):
    assert flagged(f"The OECD {word} the approach.") == [("neutrality/puffery", word)]


def test_inflection_generator():
    assert {"pioneer", "pioneers", "pioneered", "pioneering"} <= inflections("pioneer")
    assert {"admit", "admits", "admitted", "admitting"} <= inflections("admit")
    assert {"urge", "urges", "urged", "urging"} <= inflections("urge")
    assert {"study", "studies", "studied"} <= inflections("study")


@pytest.mark.parametrize("text", ["UNFORTUNATELY the text", "Unfortunately the text", "unFortunately the text"])
def test_case_insensitive(text):
    assert rules_of(text) == {"neutrality/editorialising"}


@pytest.mark.parametrize("text", ["a world-class team", "a world class team", "a world - class team", "a world\u2013class team"])
def test_phrases_match_across_spaces_and_hyphens(text):
    assert [f.rule for f in scan(text)] == ["neutrality/puffery"]


def test_multi_word_phrase_is_one_flag_with_the_whole_span():
    text = "Clearly, it is widely believed that the forum works."
    flags = scan(text)
    assert [(f.rule, f.match) for f in flags] == [
        ("neutrality/editorialising", "Clearly"),
        ("neutrality/weasel", "it is widely believed"),
    ]


def test_longest_phrase_wins():
    flags = scan("The centre is world renowned.")
    assert [f.match for f in flags] == ["world renowned"]


# --- spans -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The OECD pioneered a landmark approach.",
        "Café society: the régime’s so-called “reforms” were recently adopted.",
        "Emoji 🎉 first: the landmark 🎉 treaty, unfortunately.",
        "Tab\tseparated\tlandmark\ttext",
    ],
)
def test_spans_are_exact_code_point_offsets(text):
    flags = scan(text)
    assert flags
    for f in flags:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.match


def test_span_with_non_ascii_and_expanding_lowercase():
    # "İ".lower() is two code points: offsets must still point into the original text.
    text = "İİİ the landmark treaty"
    (f,) = scan(text)
    assert text[f.start : f.end] == "landmark"


# --- proper names are not opinions ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The IGF Best Practice Forum on Cybersecurity published its report in 2016.",
        "The Dynamic Coalition on Innovative Approaches to Connecting the Unconnected met in 2019.",
        "The Freedom Online Coalition was founded in 2011.",
        "The NATO Cooperative Cyber Defence Centre of Excellence hosts a conference.",
        "The Leading Group on Innovative Financing for Development met in Paris.",
    ],
)
def test_builtin_and_capitalised_names_are_not_flagged(text):
    assert scan(text) == []


def test_entry_own_names_are_exempt():
    text = "The Pioneering Networks Alliance (PNA) connects pioneering networks."
    assert flagged(text, proper_names=("Pioneering Networks Alliance", "PNA")) == [
        ("neutrality/puffery", "pioneering")
    ]
    # one name as a plain string is one name, not a set of letters
    assert flagged("A landmark at Landmark House.", proper_names="Landmark House") == [("neutrality/puffery", "landmark")]
    # lower-case occurrences of the entry's name are exempt too
    assert scan("the world-class alliance met", proper_names=["World-Class Alliance"]) == []


def test_a_lone_capitalised_adjective_is_not_a_name():
    assert flagged("The filter is an Orwellian apparatus.") == [("neutrality/loaded-label", "Orwellian")]


def test_sentence_initial_capital_is_not_a_name():
    assert flagged("Unfortunately, the group never met.") == [("neutrality/editorialising", "Unfortunately")]
    assert flagged("Pioneering work by ICANN followed.") == [("neutrality/puffery", "Pioneering")]


def test_a_comma_or_dash_ends_a_name_but_a_hyphen_or_en_dash_does_not():
    assert flagged("Unfortunately, the Arab IGF has not met since 2014.") == [("neutrality/editorialising", "Unfortunately")]
    assert flagged("Ironically, the Dynamic Coalition on multilingualism publishes only in English.") == [
        ("neutrality/editorialising", "Ironically")
    ]
    assert flagged("The report of the Forum \u2014 Pioneering work \u2014 was published.") == [("neutrality/puffery", "Pioneering")]
    for name in ("the Asia-Pacific Pioneering Forum", "the Asia\u2013Pacific Pioneering Forum", "the Women's Pioneering Network"):
        assert flagged(f"It joined {name} in 2012.") == []


def test_first_person_but_not_the_us():
    assert flagged("The US and the EU signed it.") == []
    assert ("neutrality/puffery", "us") in flagged("It helps us grow.")


# --- attributed quotations and reported speech -------------------------------------------------


def test_attributed_quotation_is_dropped():
    text = 'The organisation describes its mission as "a world-class forum for dialogue".'
    assert scan(text) == []
    text = 'According to its 2019 annual report, the network "has had a direct and positive impact".'
    assert scan(text) == []
    text = '"We are proud of our landmark work," the chair said.'
    assert scan(text) == []


def test_quotation_attributed_to_a_document_is_dropped():
    assert scan('The 2016 resolution "urges Member States to join" the convention.') == []


@pytest.mark.parametrize(
    "text, flagged",
    [
        # the second quotation has the source of the first, in the same sentence
        ('The declaration "welcomes" the report and "encourages" members to act.', []),
        ('The declaration "welcomes" the report. The "reform" was slow.', ['"reform"']),
        ('The "reform" was slow and the declaration "welcomes" it.', ['"reform"']),
        ('The "reform" was slow, the "review" late and the declaration "welcomes" it.', ['"reform"', '"review"']),
        # a term that a named law defines
        ('A "trusted flagger" under the Digital Services Act is an entity.', []),
        ('A "gatekeeper" under the Regulation on Contestable and Fair Markets is a platform.', []),
        # not a place, a body or any acronym; not "in the"
        ('The "reform" under the new government was slow.', ['"reform"']),
        ('Oversight is "light" under the UN.', ['"light"']),
        ('The review was "partial" in the Strategic Plan and Framework.', ['"partial"']),
        # a classification is its source's: "The report classifies ... as"
        ('The report classifies 14 countries as "not free" under its own methodology.', []),
        ('The country is "not free" by any measure.', ['"not free"']),
        ('It is a "reform" and the rate of approvals fell.', ['"reform"']),
        # a sentence ends at any white space after a stop, as before
        ('It is a "reform".\u2003Critics argued otherwise.', ['"reform"']),
    ],
)
def test_quotations_attributed_by_their_sentence(text, flagged):
    assert [f.match for f in scan(text) if f.rule == "neutrality/doubt"] == flagged


def test_many_quotations_and_cues_are_scanned_whole():
    """A text of thousands of quotations, cues and exempt phrases gives one flag per unit
    (the bisect paths: benchmarks/neutrality_hostile.py measures that they stay linear)."""
    assert len(scan('The "reform" and ' * 3000)) == 3000
    assert scan('He said "reform" and ' * 3000) == []
    flags = scan("best practice landmark " * 3000)
    assert len(flags) == 3000 and {f.match for f in flags} == {"landmark"}
    flags = scan("X stated that it should. " * 3000)
    assert len(flags) == 3000 and {f.severity for f in flags} == {INFO}
    flags = scan("As of 2020 it is currently. " * 3000)
    assert len(flags) == 3000 and {f.severity for f in flags} == {INFO}
    flags = scan("Under Article 5, states should. " * 3000)
    assert len(flags) == 3000 and {f.severity for f in flags} == {INFO}


def test_unattributed_quotation_is_the_registry_voice():
    assert "neutrality/puffery" in rules_of('The network is "a landmark achievement for the whole region".')


def test_scare_quotes_are_flagged_but_quoted_titles_are_not():
    (f,) = scan('The group\'s "independent" review was funded by members.')
    assert (f.rule, f.match) == ("neutrality/doubt", '"independent"')
    assert scan('The handbook "Routing Security" was published in 2016.') == []
    assert scan('The ministers described the agreement as "historic".') == []


def test_a_weasel_phrase_with_a_speech_verb_still_attributes_its_quotation():
    flags = scan('Stakeholders have argued about "enhanced cooperation" since 2005.')
    assert [(f.rule, f.match) for f in flags] == [("neutrality/weasel", "Stakeholders have argued")]


def test_reported_clause_is_lowered_to_info():
    flags = scan("The secretariat stated that members should join the network.")
    assert [(f.rule, f.severity) for f in flags] == [("neutrality/advocacy", INFO)]
    # the loaded reporting verb itself is the registry's word, not the source's
    flags = scan("The secretariat claimed that members should join.")
    assert ("neutrality/reporting-verb", WARNING) in [(f.rule, f.severity) for f in flags]


@pytest.mark.parametrize(
    "text",
    [
        "The secretariat stated that from 1 Jan. 2025 members should join the network.",
        "The report stated that under Art. 5 members should join the network.",
        "The delegation stated that U.S. agencies should join the network.",
        "The chair stated that Dr. Amani should join the board.",
        "The report stated that under Regulation No. 5 members should join the network.",
    ],
)
def test_an_abbreviation_does_not_end_a_reported_clause(text):
    assert [(f.rule, f.severity) for f in scan(text)] == [("neutrality/advocacy", INFO)]


@pytest.mark.parametrize(
    "text",
    [
        "The secretariat stated it in Jan. 2024. Members should join the network.",
        # "no" and a letter end a sentence unless a number follows / a full stop precedes
        "The secretariat stated that members voted no. Members should join the network.",
        "The secretariat stated that it is listed in Annex B. Members should join the network.",
    ],
)
def test_a_reported_clause_ends_with_its_sentence(text):
    assert [(f.rule, f.severity) for f in scan(text)] == [("neutrality/advocacy", WARNING)]


def test_attributed_quote_mode_lower_keeps_an_info_flag(tmp_path):
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8").replace("attributed_quotes: drop", "attributed_quotes: lower")
    rs = parse_rules(text, "lowered.yaml")
    flags = scan('The organisation describes itself as "a world-class forum".', rules=rs)
    assert [(f.match, f.severity) for f in flags] == [("world-class", INFO)]


# --- hard neutral cases from the domain ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The panel hears complaints about alleged infringements of trademark rights.",
        "The group's report examines the liability regime for intermediaries.",
        "Under the convention, each party must designate a contact point.",
        "The standard defines a key signing key and a zone signing key.",
        "ICANN coordinates the Internet's unique identifiers.",
        "The policy sets out how disputes over domain name claims are resolved.",
        "The member was admitted as an observer in 2012.",
        "The talks leading to the treaty lasted two years.",
        "The anti-spam working group meets twice a year.",
        "The regulation addresses terrorist content online.",
        "The first meeting took place in Nairobi in 2011.",
        "The checklist was last revised in 2019.",
        "Since 2009, the forum has met annually.",
        "The mechanism addresses the Internet as critical information infrastructure.",
        # terms of art and plain wording a helper found flagged (latest round)
        "The centre is dedicated to research on routing security.",
        "The rights enshrined in the Charter apply online.",
        "Special rapporteurs send urgent appeals in urgent situations.",
        "The law bans imposing fees on users.",
        "In the regulation, the term 'provider' is understood to mean any hosting service.",
        "The proposal was considered by the Council in 2019.",
        "Incidents are reported to the CSIRT within 24 hours.",
        "The forum covers Africa, in particular the Sahel.",
        "Operators must report incidents having a significant impact on their services.",
        "Under the regulation, controllers must act without undue delay when a breach affects the vital interests of the data subject.",
        "The standard requires perfect forward secrecy and authoritative name servers signed with DNSSEC.",
    ],
)
def test_domain_terms_are_not_flagged(text):
    assert [f for f in scan(text) if f.severity == WARNING] == []


# Each pair: a judgement, and the same word used as a term, tied to a date, or in a rule
# of the mechanism (from the development half of the independent labelled set).
@pytest.mark.parametrize(
    "biased, neutral, rule",
    [
        ("The forum will meet again soon.", "Soon after its creation in 2005, the network opened membership to universities.", "relative-time"),
        ("The network was expanded shortly.", "The network was expanded shortly after the 2016 meeting.", "relative-time"),
        ("The council adopted its new strategy.", "The committee can adopt guidance on how the convention applies to new technologies.", "relative-time"),
        ("The body has lately begun to publish its minutes.", "The body began to publish its minutes in 2019.", "relative-time"),
        ("The memorandum is due to be renewed next spring.", "The memorandum was renewed in the spring of 2024.", "relative-time"),
        ("The vendors allegedly paid the fees late.", "Hosting providers remove allegedly infringing content after a valid notice.", "doubt"),
        ("The initiative's professed commitment to openness is limited.", "The initiative's commitment to openness is set out in its charter.", "doubt"),
        ("The regime blocked the site in 2019.", "The treaty establishes a regime of copyright exceptions for accessible-format copies.", "loaded-label"),
        ("The alliance claims to have trained 9,000 officers.", "The alliance reports that it trained 9,000 officers.", "reporting-verb"),
        ("The charter was drafted by a cosy club of operators.", "The charter was drafted by a working group of operators.", "loaded-label"),
        ("Predictably, the meeting ended without agreement.", "The meeting ended without agreement.", "editorialising"),
        ("Countries should adopt the checklist.", "Under the programme's eligibility rules, applicant countries should have a national strategy.", "advocacy"),
        ("All governments must endorse the declaration.", "States joining the coalition must endorse the founding declaration.", "advocacy"),
        # from the second round (the first independent set's former test half)
        ("The operator was forced to admit that the names were reassigned.", "The school admits about 40 fellows a year.", "reporting-verb"),
        ("The operator admitted that the names were reassigned.", "The school admitted 38 fellows in 2021.", "reporting-verb"),
        ("The forum has failed to deliver.", "The proposal was withdrawn after the group failed to reach consensus.", "editorialising"),
        ("The commission's apparent independence is limited.", "The meeting was adjourned for no apparent reason recorded in the minutes.", "doubt"),
        ("The vendors are alleged criminals.", "The mechanism covers requests in investigations of alleged criminal offences.", "doubt"),
        ("Policymakers would do well to follow the principles.", "The checklist lists actions that economies should consider.", "advocacy"),
        ("Operators must treat it as essential.", "The directive requires operators of essential services to notify incidents.", "advocacy"),
        ("The group is in the process of drafting a model law.", "The process of drafting the model law took two years, from 2017 to 2019.", "relative-time"),
        ("The programme amounts to digital colonialism.", "The programme trains staff of ministries in Africa.", "loaded-label"),
        # from the third round (the second independent set and the third set's dev half)
        ("Kenya's new law replaces the sectoral rules.", "Kenya's data protection law of 2019 replaces the sectoral rules.", "relative-time"),
        ("The regulator proclaimed in 2015 that coverage was universal.", "The day was proclaimed by the General Assembly in 2006.", "reporting-verb"),
        ("The commission was forced to acknowledge that the targets were missed.", "WIPO acknowledges receipt of each complaint within three days.", "reporting-verb"),
        ("The report tries to play down the removals.", "The report breaks removals down by month and plays no part in enforcement.", "reporting-verb"),
        ("The regulator published what it called a 'public consultation'.", "The treaty's preamble refers to the 'digital divide' between countries.", "doubt"),
        ("In theory the regulator acts independently.", "The regulator is independent of the ministry under the 2016 act.", "doubt"),
        ("The foundation was set up by the telecoms lobby.", "The foundation was set up by 14 operators in 2009.", "loaded-label"),
        ("The rogue registrars ignore abuse reports.", "The guide explains how to find a rogue access point on a network.", "loaded-label"),
        ("Industry sources say the code halved spam.", "The regulator's 2019 report says the code halved spam.", "weasel"),
        ("The regulation is frequently cited as a model.", "The regulation was cited in 14 national laws adopted between 2019 and 2023.", "weasel"),
        ("Several states are about to accede to the convention.", "Several states acceded to the convention in 2023.", "relative-time"),
        ("The forum's work has been a turning point for the region.", "The forum's first meeting took place in 2006.", "puffery"),
        ("The coalition is an exclusive club of wealthy governments.", "The registry operator holds exclusive rights to run the .club domain.", "loaded-label"),
        ("Every operator would benefit from signing the memorandum.", "Member states will benefit from technical assistance under the programme.", "advocacy"),
        ("Governments should call on the forum to act.", "The 2016 resolution calls upon Member States to designate a contact point.", "advocacy"),
        ("It has been criticised for its opacity.", "It has been criticised by the ombudsman in her 2021 report.", "weasel"),
        ("Many in the technical community feel it is too slow.", "The network has 40 members, most in the Pacific region.", "weasel"),
        ("The 802.3af standard is the current version.", "The 802.3af standard limits the current that a port may supply.", "relative-time"),
        ("A unique forum for the region.", "Device passwords shall be unique and not resettable to a factory default.", "puffery"),
        ("The court's terms were unfair.", "The court ruled in 2018 that the terms were unfair under consumer law.", "evaluative"),
        # from the fourth set's dev half
        ("The forum met last year in Vilnius.", "In the last year of its first mandate, 2010, the forum met in Vilnius.", "relative-time"),
        ("The registry will soon freeze the name.", "The registry freezes the name as soon as a complaint is filed.", "relative-time"),
        ("The company's reports, such as they are, give totals.", "The company's reports, such as the 2021 one, give totals.", "doubt"),
        ("The figures, if they are to be believed, show growth.", "The figures, which the 2020 audit confirmed, show growth.", "doubt"),
        ("The vendor is an alleged fraudster.", "The procedure lets the alleged infringer file a counter-notice.", "doubt"),
    ],
)
def test_judgement_flagged_where_a_term_or_rule_is_not(biased, neutral, rule):
    assert f"neutrality/{rule}" in rules_of(biased)
    assert rules_of(neutral) == set()


# --- identity ---------------------------------------------------------------------------------------


def test_identity_is_stable_across_position_case_and_hyphenation():
    a = scan("The world-class team.")[0]
    b = scan("Intro sentence here. Then a WORLD  class team!")[0]
    assert a.identity == b.identity == ("neutrality/puffery", "world class")
    assert a.identity != scan("A landmark team.")[0].identity


def test_scan_is_deterministic():
    text = "Clearly the so-called regime recently claimed a landmark, 'defector' and all."
    assert scan(text) == scan(text)


def test_flag_is_frozen():
    f = scan("A landmark.")[0]
    assert isinstance(f, Flag)
    with pytest.raises(AttributeError):
        f.start = 3  # type: ignore[misc]


def test_empty_and_neutral_texts():
    assert scan("") == []
    assert scan("The root zone was signed on 15 July 2010.") == []
    with pytest.raises(TypeError):
        scan(None)  # type: ignore[arg-type]


# --- malformed rules files -----------------------------------------------------------------------


MINIMAL = """\
version: 1
rules:
  - id: neutrality/puffery
    category: puffery
    severity: warning
    message: '"{match}" is promotional'
    suggestion: state facts
    terms:
      - landmark
"""


def test_exempt_names_may_have_accents_and_punctuation(tmp_path):
    p = tmp_path / "rules.yaml"
    p.write_text(MINIMAL + "exempt:\n  - Réseaux IP Européens (Landmark)\n", encoding="utf-8")
    rs = load_rules(p)
    text = "the réseaux ip européens (landmark) met; a landmark"
    assert [f.start for f in scan(text, rules=rs)] == [text.rindex("landmark")]


def test_unless_lists_take_word_classes_and_digits():
    """`unless_next: [digits]` spares a number; a word class name stands for its words."""
    text = MINIMAL.replace(
        "      - landmark",
        "      - term: landmark\n        unless_next: [digits, booster]\n        unless_prev: [digits]",
    ) + "word_classes:\n  booster: [very, so]\n"
    rs = parse_rules(text, "classes.yaml")
    found = lambda t: [f.match for f in scan(t, rules=rs)]  # noqa: E731
    assert found("a landmark 40 times") == []
    assert found("a landmark very much") == []
    assert found("the 2019 landmark") == []
    assert found("a landmark decision, landmark 4a and landmark digits") == ["landmark", "landmark", "landmark"]


def test_in_names_flags_a_capitalised_label():
    """Capitalised words next to each other are taken for a name unless the term says
    `in_names: true`: "Big Tech" is a label, not a name."""
    assert "neutrality/loaded-label" in rules_of("Under the 2019 code, Big Tech platforms share hashes.")
    text = MINIMAL.replace("      - landmark", "      - term: landmark\n        in_names: true")
    rs = parse_rules(text, "names.yaml")
    assert [f.match for f in scan("The Landmark Forum met.", rules=rs)] == ["Landmark"]
    assert scan("The Landmark Forum met.", rules=parse_rules(MINIMAL, "plain.yaml")) == []
    with pytest.raises(RulesError, match="in_names"):
        parse_rules(MINIMAL.replace("      - landmark", "      - term: landmark\n        in_names: maybe"), "bad.yaml")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Under Article 52 of the regulation, each authority shall act with complete independence.", [("shall act", INFO)]),
        ("Pursuant to the charter, members should meet yearly.", [("should", INFO)]),
        ("Each authority shall act with complete independence.", [("shall act", WARNING)]),
    ],
)
def test_a_numbered_provision_opens_a_rule(text, expected):
    assert [(f.match, f.severity) for f in scan(text)] == expected


@pytest.mark.parametrize(
    "text, rule",
    [
        ("The programme delivered tangible and lasting improvements in the region.", "neutrality/puffery"),
        ("The programme left lasting improvements in the region.", "neutrality/puffery"),
        ("A telling omission for a code on data portability.", "neutrality/editorialising"),
        ("Stakeholders have expressed concern that the period was short.", "neutrality/weasel"),
        ("Critics have voiced doubts about the plan.", "neutrality/weasel"),
        ("The law hands the ministry sweeping powers.", "neutrality/loaded-label"),
        ("Its effect, if there has been any, was never measured.", "neutrality/doubt"),
        ("Platforms have a responsibility to publish their rules.", "neutrality/advocacy"),
        ("States bear a moral responsibility for the network.", "neutrality/advocacy"),
        # set 7's dev half
        ("The report was agreed, if it can be called consensus at all.", "neutrality/doubt"),
        ("The forum is a celebrated success.", "neutrality/puffery"),
    ],
)
def test_round_six_terms(text, rule):
    assert rule in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "The report gives the telling of its history in three parts.",
        "Fees, if any, are set by the board.",
        "Objections, if there are any, must be filed within 30 days.",
        "The Board has the responsibility to approve the annual budget.",
        "During the public comment period, stakeholders raised concerns about the fee structure.",
        "The GAC, the ALAC and others have raised concerns about the proposal.",
        "The programme sets measurable and sustainable targets for each region.",
        "The framework made lasting changes to the bylaws in 2019.",
        "Safer Internet Day is celebrated every February by the Insafe network.",
        "Extradition applies where the alleged conduct is punishable in both states.",
        "The ombudsman reviews alleged acts of maladministration.",
    ],
)
def test_round_six_neutral_cases(text):
    assert scan(text) == []


def test_rule_cues_lower_only_the_named_rules():
    """After "Under the agreement," a must is the agreement's; a loaded label is still ours."""
    flags = {(f.rule, f.severity) for f in scan("Under the agreement, parties must join the rogue coalition.")}
    assert ("neutrality/advocacy", "info") in flags and ("neutrality/loaded-label", WARNING) in flags
    flags = {(f.rule, f.severity) for f in scan("Parties must join the rogue coalition.")}
    assert ("neutrality/advocacy", WARNING) in flags
    # the setting decides which rules a rule cue lowers: none here
    text = MINIMAL.replace("version: 1\n", "version: 1\nsettings:\n  rule_clauses_lower: []\nrule_cues: [under the agreement]\n")
    flags = scan("Under the agreement, a landmark.", rules=parse_rules(text, "none.yaml"))
    assert [(f.match, f.severity) for f in flags] == [("landmark", WARNING)]
    text = text.replace("rule_clauses_lower: []", "rule_clauses_lower: [neutrality/puffery]")
    flags = scan("Under the agreement, a landmark. A landmark.", rules=parse_rules(text, "puffery.yaml"))
    assert [(f.match, f.severity) for f in flags] == [("landmark", INFO), ("landmark", WARNING)]
    typo = MINIMAL.replace("version: 1\n", "version: 1\nsettings:\n  rule_clause_lower: []\n")
    with pytest.raises(RulesError, match="unknown setting `rule_clause_lower`"):
        parse_rules(typo, "typo.yaml")
    bad = MINIMAL.replace("version: 1\n", "version: 1\nsettings:\n  rule_clauses_lower: [neutrality/nothing]\n")
    with pytest.raises(RulesError, match="not a rule of this file"):
        parse_rules(bad, "bad.yaml")


@pytest.mark.parametrize(
    "text, severity",
    [
        # what the relative-time suggestion asks for: tied to a date, it does not go stale
        ("As of March 2025, the current chair is Ana Lima.", INFO),
        ("The current chair, as at 30 June 2026, is Ana Lima.", INFO),
        # no year after the anchor, or the year in another sentence
        ("As of now, the current chair is Ana Lima.", WARNING),
        ("The current chair is Ana Lima. As of 2025 the forum had 40 members.", WARNING),
        ("As of 31.12.2024 the current chair is Ana Lima.", INFO),
        ("As of the end of the third quarter of 2025, the current chair is Ana Lima.", INFO),
        # a past date is not an anchor; nor is "such as at", nor a clock time
        ("At the time of its founding in 2009 the forum had 12 members; the current chair is Ana Lima.", WARNING),
        ("The current chair spoke, such as at the 2019 meeting.", WARNING),
        ("As at 1800 hours the current chair spoke.", WARNING),
        # an abbreviated month does not end the sentence; a full stop before a capital does
        ("As of 1 Jan. 2025 the current chair is Ana Lima.", INFO),
        ("As of Sept. 2025 the current chair is Ana Lima.", INFO),
        ("The forum met in Jan. The current chair is Ana Lima, as of 2025.", INFO),
        ("As of Jan. 2025 the forum had 40 members. The current chair is Ana Lima.", WARNING),
    ],
)
def test_a_time_anchor_with_a_year_lowers_relative_time_in_its_sentence(text, severity):
    (f,) = [f for f in scan(text) if f.match == "current"]
    assert f.severity == severity


@pytest.mark.parametrize("text, match", [("The forum is hosted by the ministry, as at present.", "at present"), ("The group has met more often as of late.", "of late")])
def test_a_time_anchor_does_not_hide_a_term_that_starts_inside_it(text, match):
    assert [(f.match, f.severity) for f in scan(text)] == [(match, WARNING)]


def test_minimal_rules_file(tmp_path):
    p = tmp_path / "rules.yaml"
    p.write_text(MINIMAL, encoding="utf-8")
    rs = load_rules(p)
    assert [f.match for f in scan("a landmark and a world-class team", rules=rs)] == ["landmark"]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("version: 1\nrules: [\n", 3, "not valid YAML"),
        ("- just\n- a list\n", None, "must be a mapping"),
        ("version: 2\nrules: []\n", 1, "version: 1"),
        (MINIMAL.replace("severity: warning", "severity: loud"), 5, "severity must be one of"),
        (MINIMAL.replace("    suggestion: state facts\n", ""), 3, "missing `suggestion`"),
        (MINIMAL.replace("      - landmark", "      - land@mark"), 9, "is not a word"),
        (MINIMAL.replace("      - landmark", "      - landmark\n      - Landmark"), 10, "already listed"),
        (MINIMAL.replace("id: neutrality/puffery", "id: puffery"), 3, "neutrality/some-name"),
        (MINIMAL.replace("'\"{match}\" is promotional'", "'{what} is promotional'"), 6, "placeholder {match}"),
        (MINIMAL + "colour: blue\n", 10, "unknown key `colour`"),
        (MINIMAL.replace("      - landmark", "      - term: landmark\n        unless_next: after"), 9, "list of words"),
    ],
)
def test_malformed_rules_file_names_file_line_and_problem(tmp_path, text, line, words):
    p = tmp_path / "bad-rules.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(p)
    message = str(info.value)
    assert message.startswith(str(p))
    assert words in message
    if line is not None:
        assert info.value.line == line, message
        assert f"{p}:{line}:" in message
    assert "\n" not in message


def test_missing_rules_file(tmp_path):
    with pytest.raises(RulesError, match="cannot read the rules file"):
        load_rules(tmp_path / "absent.yaml")


# --- properties -------------------------------------------------------------------------------------

_alphabet = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ.,;:!?'\"-–“”‘’()\n\t0123456789éİß🎉")
    + ["landmark", " so-called ", " it is widely believed ", " should adopt ", " 'x' ", " Best Practice Forum ",
       " said that ", " according to ", " recently ", " The ", " us ", " US "]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_alphabet, max_size=60).map("".join), st.lists(st.text(max_size=12), max_size=3))
def test_scan_never_raises_and_spans_are_in_range(text, names):
    flags = scan(text, proper_names=names)
    previous = -1
    for f in flags:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.match
        assert f.severity in (WARNING, INFO)
        assert f.start >= previous
        previous = f.start


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_scan_never_raises_on_any_unicode(text):
    for f in scan(text):
        assert text[f.start : f.end] == f.match


# --- word classes and the `after` condition -------------------------------------------

_AFTER_RULES = """
version: 1
word_classes:
  determiner: [a, an, the]
  copula: [is, was]
rules:
  - id: neutrality/test
    category: test
    severity: warning
    message: '"{match}" judges'
    suggestion: remove it
    terms:
      - term: surprise|quirky
        after: [determiner, copula, truly]
      - plain
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("It was a surprise.", ["surprise"]),  # after a determiner
        ("The design is quirky.", ["quirky"]),  # after a copula
        ("A truly quirky design.", ["quirky"]),  # after a word listed with the classes
        ("Surprise inspections are allowed.", []),  # no word before it
        ("They planned inspections by surprise.", []),  # a preposition is not in the class
        ("Quirky Systems Ltd was founded in 2001.", []),
        ("A plain text.", ["plain"]),  # terms without `after` are unaffected
    ],
)
def test_after_flags_only_after_the_named_word_classes(text, expected):
    rs = parse_rules(_AFTER_RULES, "after.yaml")
    assert [f.match for f in scan(text, rules=rs)] == expected


def test_default_rules_use_after_for_finally():
    assert "neutrality/editorialising" in rules_of("The convention was finally adopted in 2001.")
    assert not rules_of("Finally, the parties adopted the text in 2001.")


@pytest.mark.parametrize(
    "bad, words",
    [
        ("word_classes: [a, b]\n", "`word_classes` must be a mapping"),
        ("word_classes:\n  Det: [a]\n", "must be a lower-case word"),
        ("word_classes:\n  det: []\n", "non-empty list of single words"),
        ("word_classes:\n  det: [two words]\n", "non-empty list of single words"),
    ],
)
def test_malformed_word_classes_are_reported(bad, words):
    text = _AFTER_RULES.replace("word_classes:\n  determiner: [a, an, the]\n  copula: [is, was]\n", bad)
    with pytest.raises(RulesError, match=words):
        parse_rules(text, "bad.yaml")


def test_after_must_name_a_class_or_a_single_word():
    text = _AFTER_RULES.replace("[determiner, copula, truly]", "[determiner, two words]")
    with pytest.raises(RulesError, match="neither a word class nor a single word"):
        parse_rules(text, "bad.yaml")


def test_he_slash_she_is_one_gendered_flag_with_or_without_spaces():
    for text in ("Each member names his/her delegate.", "Each member names his / her delegate."):
        flags = [f for f in scan(text) if f.rule == "neutrality/gendered-language"]
        assert len(flags) == 1 and flags[0].match.startswith("his") and flags[0].match.endswith("her")
    assert not rules_of("Each member names its delegate.")


# --- round 8: from the eighth independent set's dev half ----------------------------


def _severity_of(text, match):
    found = [f.severity for f in scan(text) if f.match == match]
    return found[0] if found else None


@pytest.mark.parametrize(
    "text, flagged_new",
    [
        ("The platform was launched in 2021; the new platform replaced the wiki.", True),
        ("Its new secretariat is hosted by the ministry.", True),
        ("The portal is a new initiative of the ministry.", True),
        ("The court appointed a receiver pending the election of a new board.", False),
        ("In 2019 the forum created a new working group on IPv6.", False),
    ],
)
def test_new_is_stale_after_a_definite_word_or_a_copula_not_after_a(text, flagged_new):
    assert any(f.rule == "neutrality/relative-time" for f in scan(text)) is flagged_new


def test_a_cue_word_that_is_the_quotations_head_noun_does_not_attribute_it():
    # 'reports' right after the quotation is the noun it qualifies: a scare quote
    assert rules_of("The company's \u201ctransparency\u201d reports list government requests.") == {"neutrality/doubt"}
    assert rules_of('The "failed" state model is contested.') == {"neutrality/doubt"}
    # with a comma or a speaker between, the cue still attributes the quotation
    assert rules_of('The tool is "free of charge", the company reports.') == set()
    assert rules_of('It is "voluntary" the secretariat notes.') == set()


def test_a_relative_clause_of_reported_speech_ends_where_the_main_clause_goes_on():
    text = (
        "The Declaration, which states that the Internet should be \u201copen, free and secure\u201d, "
        "was endorsed by 61 partners and stands as a landmark."
    )
    assert _severity_of(text, "landmark") == WARNING
    assert _severity_of(text, "should") == INFO
    # a list comma inside the clause does not end it; the comma before the verb does
    text = "The report, which states that access, privacy and security are essential, was published in 2020 and is widely praised."
    assert _severity_of(text, "essential") == INFO
    assert _severity_of(text, "is widely") == WARNING
    # the clause of an outer cue goes on after the relative clause ends
    text = "The minister said that the report, which states that access is vital, was a landmark."
    assert _severity_of(text, "vital") == INFO and _severity_of(text, "landmark") == INFO
    # a plain (not relative) reported clause still runs to the end of its sentence
    assert _severity_of("The minister said that access, in her view, was a landmark.", "landmark") == INFO


def test_quoted_key_words_and_quoted_titles_are_mentions():
    assert rules_of("RFC 2119 specifies how the key words \u201cMUST\u201d, \u201cSHOULD\u201d and \u201cMAY\u201d are to be interpreted.") == set()
    assert (
        rules_of('The Commission adopted the strategy "A Digital Decade for children and youth: the new European strategy for a better internet for kids" in 2022.')
        == set()
    )
    # the same words in the registry's own voice are flagged
    assert rules_of("Members should join; the new strategy is a landmark.") >= {"neutrality/advocacy", "neutrality/relative-time", "neutrality/puffery"}


@pytest.mark.parametrize(
    "text, match",
    [
        ("The code obliges tech giants designated by the Treasurer to negotiate with publishers.", "tech giants"),
        ("The 2019 internet kill-switch law requires operators to install filtering equipment.", "internet kill-switch"),
        ("The act is a kill switch law for the national network.", "kill switch law"),
        ("The authority keeps a list of pirate sites and orders operators to block them.", "pirate sites"),
        ("The exemptions amount to a blank cheque for state surveillance.", "blank cheque"),
        ("To close the divide, donors and operators must work together and invest in rural areas.", "must work together"),
    ],
)
def test_round_eight_terms(text, match):
    assert match in {m for _, m in flagged(text)}, flagged(text)


def test_what_a_target_says_is_its_content():
    text = "The Commission set seven targets for 2025, one of which is that broadband should cost less than 2 per cent of income."
    assert _severity_of(text, "should") == INFO
    assert _severity_of("Entry-level broadband should cost less than 2 per cent of income.", "should") == WARNING


# --- the review of round 8: what its first version hid or flagged wrongly ------------


@pytest.mark.parametrize(
    "text",
    [
        "The foundation is a New York non-profit organisation.",
        "The registry is a New Zealand Crown entity.",
        "The applicant is a new gTLD registry operator.",
        "The Alliance is a new member of the coalition.",
    ],
)
def test_is_a_new_spares_names_and_members(text):
    assert rules_of(text) == set()


@pytest.mark.parametrize(
    "text, match",
    [
        ('Users can report "harmful" content to the platform.', '"harmful"'),
        ('Users can report "fake news" to the platform.', "fake news"),
        ('The roadmap "guarantees" universal access.', '"guarantees"'),
        ('The company\'s white paper "proves" that the model works.', '"proves"'),
        ('The roadmap "will make the country a world-class hub".', "world-class"),
    ],
)
def test_a_title_noun_does_not_attribute_a_quotation_in_lower_case(text, match):
    assert _severity_of(text, match) == WARNING


@pytest.mark.parametrize(
    "text, match",
    [
        ("The forum's objectives for 2025 include connectivity, and all governments must join the initiative.", "must join"),
        ("The programme's goals for 2025 should be more ambitious.", "should"),
        ("The alliance pursues its goals by lobbying, and members should support it.", "should"),
    ],
)
def test_naming_a_goal_is_not_a_rule_cue(text, match):
    assert _severity_of(text, match) == WARNING


@pytest.mark.parametrize(
    "text, match",
    [
        # list commas, "indeed", "need", a participle, a quotation, apostrophes inside the clause
        ("The Plan, which states that coverage, speed and affordability are vital, was adopted in 2021.", "vital"),
        ("The group, which says that the rules, indeed, are draconian, was founded in 2010.", "draconian"),
        ("The coalition, which states that governments, not platforms, need to protect users, was founded in 2012.", "need to"),
        ("The rapporteur, who noted that the law, passed in haste, is draconian, resigned.", "draconian"),
        ('The group, which argues that the law is "vague", overbroad and truly dangerous, was founded in 2015.', "truly"),
        ("The charter, which states that users\u2019, operators\u2019 and states\u2019 interests are essential, was adopted.", "essential"),
        # "WHO" is a name, not a relative pronoun: the clause runs to the end of the sentence
        ("The WHO said that the new rules, adopted in 2020, are a landmark.", "landmark"),
    ],
)
def test_a_relative_clause_keeps_its_own_commas(text, match):
    assert _severity_of(text, match) == INFO


@pytest.mark.parametrize(
    "text",
    [
        'It is "voluntary" notes the secretariat.',
        'The plan is "voluntary" states the secretariat.',
        'The forum was "a landmark" reports UNESCO.',
    ],
)
def test_a_noun_like_cue_before_its_speaker_still_attributes(text):
    assert rules_of(text) == set()


# --- round 9: from the two development corpora ----------------------------------------


def test_a_sentence_adverb_before_the_and_a_name_is_flagged():
    assert rules_of("Sadly the Arab States did not obtain a seat in the working group.") == {"neutrality/editorialising"}
    assert rules_of("Unfortunately the Chinese delegation left the room.") == {"neutrality/editorialising"}
    # a capitalised word before the name, not an -ly adverb, still reads as part of it
    assert rules_of("Landmark the Netherlands is a foundation.") == set()


def test_an_acronym_in_brackets_after_its_name_is_not_a_word():
    assert rules_of("The Electronic Privacy Information Center (EPIC) is a research centre.") == set()
    assert "neutrality/evaluative" in rules_of("It was an epic meeting.")
    # capitals elsewhere may be emphasis
    assert rules_of("UNFORTUNATELY the text was not adopted.") == {"neutrality/editorialising"}


@pytest.mark.parametrize(
    "text, match",
    [
        ('The Convention requires that the condition of "dual criminality" is fulfilled before extradition.', '"dual criminality"'),
        ('Under the EU AI Act, "high-risk" AI systems are subject to a conformity assessment.', '"high-risk"'),
        ('Under Article 17 of the Directive, providers must make "best efforts" to obtain an authorisation.', '"best efforts"'),
        ('The Guidelines set out an "accountability principle" for data controllers.', '"accountability principle"'),
    ],
)
def test_a_term_quoted_in_reported_speech_or_a_rule_is_not_a_scare_quote(text, match):
    assert _severity_of(text, match) == INFO


def test_a_scare_quote_in_the_registrys_own_voice_stays():
    assert _severity_of('The group\'s "independent" review was published in 2020.', '"independent"') == WARNING


@pytest.mark.parametrize(
    "text",
    [
        "Article 5 provides that information shall not be denied legal effect solely because it is electronic.",
        "A party that refuses to extradite an offender must submit the case to its own authorities.",
        "Applicants who were refused entry may appeal to the board.",
        "RFC 5952 specifies that leading zeros in each field must be suppressed.",
        "The Regulations current in 2025 were adopted in Dubai in 2012.",
        "An authoritative name server holds the original records for its zones.",
        "The Directive prohibits misleading and aggressive commercial practices towards consumers.",
    ],
)
def test_round_nine_neutral_cases(text):
    assert rules_of(text) == set()


@pytest.mark.parametrize(
    "text, rule",
    [
        ("The IETF is the undisputed home of the Internet's core protocols.", "neutrality/puffery"),
        ("The registry's fellowship scheme has been a runaway success.", "neutrality/puffery"),
        ("Inexplicably, the mapping omits the Pacific Islands altogether.", "neutrality/editorialising"),
        ("The item was quietly dropped from the agenda.", "neutrality/editorialising"),
        ("It is an open secret that the programme is drafted by the secretariat.", "neutrality/weasel"),
        ("There is a near-universal consensus that the transition strengthened the model.", "neutrality/weasel"),
        ("Diplomats familiar with the talks say the text was a compromise.", "neutrality/weasel"),
        ("The proposal would balkanise the Internet into national fiefdoms.", "neutrality/loaded-label"),
        ("The censorship law was rushed through parliament in a single day.", "neutrality/loaded-label"),
        ("The organisation presents itself as a neutral technical body.", "neutrality/doubt"),
        ("The registry's pledge of transparency rings hollow.", "neutrality/doubt"),
        ("Opponents of the treaty charged that it would legitimise surveillance.", "neutrality/reporting-verb"),
        ("The minister pretended that coverage had reached every village.", "neutrality/reporting-verb"),
        ("The memorandum has been dormant for some time.", "neutrality/relative-time"),
        ("Up to this moment, the proposals have not obtained a consensus.", "neutrality/relative-time"),
        ("The Forum should lead the way on IPv6 adoption.", "neutrality/advocacy"),
        ("There can be no excuse for further delay in implementing the treaty.", "neutrality/advocacy"),
    ],
)
def test_round_nine_terms(text, rule):
    assert rule in rules_of(text), flagged(text)


# --- from set 9's dev half ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "IANA publishes the current root zone file on a public server.",
        "The secretariat maintains the current list of members.",
        "Kenya was the leading recipient of the programme's grants in 2019, with 14 of the 40 awards.",
        "States joining the coalition must endorse its founding declaration.",
    ],
)
def test_set_nine_neutral_cases(text):
    assert rules_of(text) == set()


@pytest.mark.parametrize(
    "text, rule",
    [
        ("The statistics, if they are accurate, would make it the largest exchange point in the region.", "neutrality/doubt"),
        ("Joining the initiative is essential for any country that is serious about child safety.", "neutrality/editorialising"),
        ("Governments must involve civil society at every stage of the process.", "neutrality/advocacy"),
        ("The unit works with hotlines to track down online predators.", "neutrality/loaded-label"),
        ("The current chair was elected by the members.", "neutrality/relative-time"),
    ],
)
def test_set_nine_terms(text, rule):
    assert rule in rules_of(text), flagged(text)


# --- the review of round 9 ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Personal data must be protected against accidental loss.",
        "Certificates must be renewed every 90 days.",
        "The regulator has to act within 60 days.",
        "It falls to the national regulator to enforce the Regulation.",
        "The GDPR one-stop-shop mechanism designates a lead supervisory authority.",
        "It is understood that the memorandum does not create legal obligations.",
        "The registry charges that amount to each registrar.",
        "The project uses a beacon for measuring route propagation.",
        "The panel dismissed claims of reverse domain name hijacking.",
        "Phishing sites pretend to be banks.",
        "Members come from across the spectrum of stakeholder groups.",
        "The incoming chair is elected by the plenary.",
        "The CERT issued a masterclass on incident handling.",
        "The actual period of retention may be shorter.",
        "Decisions are usually issued in a few weeks.",
        "For a year or so the group met monthly.",
        "The annual reports indicate that membership grew.",
        "The Commission has long maintained a register of experts.",
        "In 2019 the Pirates held one seat in the European Parliament.",
        "Data of uncertain provenance are excluded.",
        "The figures are unverifiable without an audit.",
        "The registry provides that service free of charge.",
    ],
)
def test_round_nine_review_neutral_cases(text):
    assert rules_of(text) == set()


@pytest.mark.parametrize(
    "text, match",
    [
        ("The ministry refused to comment on the leaked draft.", "refused"),
        ("The allegations were denied.", "denied"),
        ("The current at-large structure was set up in 2003.", "The current at"),
        ("The current in-person format replaced the online one.", "The current in"),
        ("The registry provides that service free of charge, and every operator should use it.", "should"),
        ("The forum meets online provided that a quorum is present, and members should attend.", "should"),
    ],
)
def test_round_nine_review_flags_that_stay(text, match):
    assert _severity_of(text, match) == WARNING, flagged(text)


@pytest.mark.parametrize(
    "text, match",
    [
        ('Since joining the coalition in 2015, the company has published "transparency" reports.', '"transparency"'),
        ('The Board outlines its plans each year, but its "consultation" consists of a single email.', '"consultation"'),
        ('The forum, pursuant to its charter, held a "public" consultation.', '"public"'),
        ('The secretariat stated that the meeting was open, but the "consultation" was held behind closed doors.', '"consultation"'),
        ('The Convention requires that parties cooperate, but its "safeguards" are weak.', '"safeguards"'),
    ],
)
def test_the_registrys_own_scare_quotes_stay_warnings(text, match):
    assert _severity_of(text, match) == WARNING, flagged(text)


def test_an_acronym_must_match_the_initials_before_it():
    assert "neutrality/evaluative" not in rules_of("The Electronic Privacy Information Center (EPIC) is a research centre.")
    assert rules_of("The Forum (UNIQUE) brought together 3,000 participants.") != set()
    assert rules_of("The forum was held in Paris. (EPIC) reports followed.") != set()


def test_a_cue_inside_a_longer_cue_still_attributes():
    # "the charter defines" is a quoted-term cue; its "defines" still attributes the quotation
    assert rules_of('The charter defines the body\'s purpose as "to promote innovative approaches".') == set()


def test_a_short_quotation_in_reported_speech_is_the_speakers_word():
    text = "The Special Rapporteur stated that cutting off users from the Internet was \u201cdisproportionate\u201d."
    assert _severity_of(text, "\u201cdisproportionate\u201d") == INFO


# --- round 10: from the third development corpus (bias in grammar and framing) ----------


@pytest.mark.parametrize(
    "text, rule",
    [
        ("Few regional instruments can rival the Malabo Convention in ambition.", "neutrality/puffery"),
        ("Convention 108, opened for signature in 1981, was decades ahead of its time.", "neutrality/puffery"),
        ("The 2015 mapping was a tour de force that reframed the debate.", "neutrality/puffery"),
        ("The secretariat eventually bowed to pressure and published the comments.", "neutrality/editorialising"),
        ("The report cherry-picks examples from OECD members.", "neutrality/editorialising"),
        ("Instead of addressing the gap, the forum has produced yet another report about it.", "neutrality/editorialising"),
        ("People close to the negotiations say the text was agreed under pressure.", "neutrality/weasel"),
        ("The Investigatory Powers Act 2016, the snoopers' charter, is listed under privacy.", "neutrality/loaded-label"),
        ("Civil society was represented by the usual suspects.", "neutrality/loaded-label"),
        ("Membership of the network is open to all, at least in principle.", "neutrality/doubt"),
        ("The agenda is a trade liberalisation programme under another name.", "neutrality/doubt"),
        ("UNESCO's study demonstrates that most content is published in a few languages.", "neutrality/reporting-verb"),
        ("The IGF is in the middle of preparing its next annual meeting.", "neutrality/relative-time"),
        ("There is a strong case for giving civil society a formal vote.", "neutrality/advocacy"),
        ("The international community must rally behind the Christchurch Call.", "neutrality/advocacy"),
    ],
)
def test_round_ten_terms(text, rule):
    assert rule in rules_of(text), flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "The law requires operators of critical information infrastructure to store important data in the country.",
        "The Plenipotentiary Conference, which the ITU Constitution names the supreme organ of the Union, meets every four years.",
        "The report was published on paper and online in 2019.",
        "The claims to the domain name were rejected by the panel.",
    ],
)
def test_round_ten_neutral_cases(text):
    assert rules_of(text) == set()


# --- the review of round 10 ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, match",
    [
        # a title noun, not a verb: "plans", "planning", "briefed" do not make a title
        ('The ministry plans "Smart Nation" hubs with "world-class" connectivity.', "world-class"),
        ('The regulator briefed "Project Lighthouse" partners on its "groundbreaking" sandbox.', "groundbreaking"),
        # a gerund that starts the sentence is its subject, not a rule about who joins
        ("Joining the Christchurch Call should be a priority for every government.", "should"),
        ("Joining the MANRS programme is a must for every network operator.", "is a must"),
        # narrow exemptions do not hide the same words elsewhere
        ("This is an important data protection reform.", "important"),
        ("The forum is the supreme organ of Internet governance.", "supreme"),
    ],
)
def test_round_ten_review_flags_that_stay(text, match):
    assert _severity_of(text, match) == WARNING, flagged(text)


def test_a_title_after_a_title_phrase_is_a_name():
    assert rules_of('The Commission adopted the action plan "A Landmark Plan for Europe" in 2020.') == set()
    assert rules_of('Its final report, "The World-Class Internet", was published in 2019.') == set()
    assert rules_of("States joining the coalition must endorse its founding declaration.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Sources in Geneva say the text will be revised.",
        "The registry is a model of openness for the region.",
        "States could do more to fund national initiatives.",
        "The decision surprised nobody in the community.",
    ],
)
def test_round_ten_alternatives_of_one_word_each(text):
    assert rules_of(text) != set(), text


@pytest.mark.parametrize(
    "text",
    [
        "The exchange point is in the middle of the business district.",
        "Article 4 clarifies that the exemption does not cover registries.",
        "The complainant demonstrated that the domain name was registered in bad faith.",
        "The forum, which is to say its plenary, elects the chair.",
        "Quorum is rarely achieved at the annual general meeting.",
        "The index is used to set a benchmark for national readiness.",
        "The industry dominated the consultation responses, with 62 of 80 submissions.",
        "The meeting was held in Geneva, as usual, in the second week of December.",
        "Panels assess the application's claim to represent the community.",
        "The law requires the storage of personal information and important data in the country.",
    ],
)
def test_round_ten_review_neutral_cases(text):
    assert rules_of(text) == set()


# --- the last review ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, match",
    [
        ("The IGF is in the middle of a review of its working methods.", "is in the middle of a"),
        ("Operators claim to speak for all users.", "claim to speak"),
        ("The process was US dominated from the start.", "US dominated"),
        ("The court clarified that the terms were unfair, the minister clarified that they were not.", "clarified that"),
        ('The agency studies "Open Finance" pilots with "groundbreaking" results.', "groundbreaking"),
    ],
)
def test_last_review_flags_that_stay(text, match):
    assert _severity_of(text, match) == WARNING, flagged(text)


@pytest.mark.parametrize(
    "text, match",
    [
        # an -ing clause closed by a comma is about who joins: the rule's content stays info
        ("Joining the coalition, states must commit to its founding declaration.", "must commit"),
        ("Seeking to join the Alliance, operators should notify the secretariat.", "should"),
        # a line break inside a sentence does not start one
        ("States and organisations\njoining the coalition must endorse the declaration.", "must endorse"),
    ],
)
def test_an_ing_clause_with_a_comma_or_a_line_break_is_still_a_rule(text, match):
    assert _severity_of(text, match) == INFO, flagged(text)


def test_title_plurals_are_built_as_nouns():
    from bot.neutrality.rules import _title_forms

    assert set(_title_forms("roadmap+")) == {"roadmap", "roadmaps"}
    assert set(_title_forms("policy+")) == {"policy", "policies"}
    assert set(_title_forms("survey+")) == {"survey", "surveys"}
    assert set(_title_forms("white paper+")) == {"white paper", "white papers"}
    assert set(_title_forms("working|policy brief+")) == {"working brief", "working briefs", "policy brief", "policy briefs"}


@pytest.mark.parametrize(
    "text",
    [
        "Operators of critical infrastructure must store important data locally.",
        "Article 4 clarified that the exemption applies to registries.",
        "The exchange point is in the middle of the business district.",
    ],
)
def test_last_review_neutral_cases(text):
    assert rules_of(text) == set()
