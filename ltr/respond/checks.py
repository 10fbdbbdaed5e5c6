"""No-profile check: does a reply use the listener's age, gender, country or ethnicity as reason or colour?

A recommendation may follow what the listener said, never who they are. ``profile_claims(reply, turn)``
returns the phrases of ``reply`` that bring demographics in:

* a person described by demographics: "as a Brazilian listener", "as a woman", "Black listeners",
  "young fans", "Americans", "a guy like you", "you're Polish", "your Latino heritage";
* age: "in your thirties", "at your age", "someone your age", "a 34-year-old", "thirty-somethings";
* place: "people in Brazil", "across / throughout / all over Brazil", "wherever you are in Brazil",
  "your day in Brazil", "your country", "where you live";
* with a profile (the turn's ``country_name``, ``age``): any mention of the listener's country or its
  demonym, and their age in years, unless the conversation named them first.

Music is not a claim: a demographic word directly followed by a capitalised word ("Black Sabbath",
"American Football", "Asian Kung-Fu Generation") or by a music word ("Latin jazz", "black metal",
"Brazilian classic") is a name or a style; quoted spans and catalog titles, artists and albums
(``CatalogNames``) are masked before matching; decades ("the 90s") and durations ("a 20-minute epic")
never match. Country names and demonyms are matched case-sensitively, as proper nouns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ltr.respond.entities import CatalogNames, catalog_names_in

# Country | demonyms | other names of the country (aliases may carry "the"). Plural person nouns
# ("Brazilians") are derived from the demonyms; irregular ones are listed in _PLURALS.
_COUNTRY_TABLE = """
United States|American|the United States,the US,the USA,the U.S.,America,the States
United Kingdom|British|the United Kingdom,the UK,Britain,Great Britain
England|English|
Scotland|Scottish,Scot|
Wales|Welsh|
Ireland|Irish|
Brazil|Brazilian|
Poland|Polish|
Russia|Russian|
Germany|German|
Netherlands|Dutch|the Netherlands,Holland
Australia|Australian|
Finland|Finnish|
Sweden|Swedish|
Canada|Canadian|
Spain|Spanish|
Ukraine|Ukrainian|
Mexico|Mexican|
France|French|
Norway|Norwegian|
Italy|Italian|
Czech Republic|Czech|the Czech Republic,Czechia
Indonesia|Indonesian|
Chile|Chilean|
Turkey|Turkish|
Japan|Japanese|
Croatia|Croatian|
Argentina|Argentinian,Argentine|
Belgium|Belgian|
Belarus|Belarusian|
Portugal|Portuguese|
Bulgaria|Bulgarian|
Serbia|Serbian|
Denmark|Danish|
Colombia|Colombian|
Romania|Romanian|
Hungary|Hungarian|
Austria|Austrian|
Lithuania|Lithuanian|
New Zealand|New Zealander|
Latvia|Latvian|
Switzerland|Swiss|
Venezuela|Venezuelan|
Slovakia|Slovak,Slovakian|
South Africa|South African|
Israel|Israeli|
Estonia|Estonian|
Philippines|Filipino,Filipina|the Philippines
Iran|Iranian,Persian|
Peru|Peruvian|
Greece|Greek|
Kazakhstan|Kazakh|
Malaysia|Malaysian|
Slovenia|Slovenian,Slovene|
China|Chinese|
Singapore|Singaporean|
India|Indian|
Georgia|Georgian|
Vietnam|Vietnamese|
Egypt|Egyptian|
Tunisia|Tunisian|
North Macedonia|Macedonian|Macedonia
Moldova|Moldovan|
Paraguay|Paraguayan|
Thailand|Thai|
Taiwan|Taiwanese|
Morocco|Moroccan|
United Arab Emirates|Emirati|the United Arab Emirates,the UAE
Costa Rica|Costa Rican|
Ecuador|Ecuadorian|
Iceland|Icelandic|
Hong Kong|Hongkonger|
Uruguay|Uruguayan|
Luxembourg|Luxembourgish|
South Korea|Korean|Korea
Malta|Maltese|
Dominican Republic|Dominican|the Dominican Republic
Kenya|Kenyan|
Nigeria|Nigerian|
Ghana|Ghanaian|
Jamaica|Jamaican|
Cuba|Cuban|
Puerto Rico|Puerto Rican|
Pakistan|Pakistani|
Bangladesh|Bangladeshi|
Saudi Arabia|Saudi|
Lebanon|Lebanese|
Algeria|Algerian|
Ethiopia|Ethiopian|
Bolivia|Bolivian|
Guatemala|Guatemalan|
"""


def _table() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    out = {}
    for line in _COUNTRY_TABLE.strip().splitlines():
        country, demonyms, aliases = line.split("|")
        names = (country, *(a for a in aliases.split(",") if a))
        out[country] = (names, tuple(demonyms.split(",")))
    return out


COUNTRIES = _table()  # country -> (its names, its demonyms)
_REGIONS = ("Europe", "Africa", "Asia", "Latin America", "South America", "North America", "Scandinavia")
_REGIONAL = ("European", "African", "Latin American", "South American", "North American", "Scandinavian",
             "Nordic", "Caribbean", "Middle Eastern")  # fmt: skip
_PLURALS = ("Brits", "Finns", "Swedes", "Danes", "Spaniards", "Turks", "Greeks", "Scots", "Czechs", "Slovaks",
            "Kazakhs", "Thais", "Icelanders", "New Zealanders", "Kiwis", "Pakistanis", "Israelis", "Saudis",
            "Bangladeshis", "Emiratis", "Filipinos", "Filipinas")  # fmt: skip
_DEMONYMS = sorted({d for _, ds in COUNTRIES.values() for d in ds} | set(_REGIONAL), key=len, reverse=True)
_PLACES = sorted({n for ns, _ in COUNTRIES.values() for n in ns} | set(_REGIONS), key=len, reverse=True)
_PEOPLE = sorted(
    {d + "s" for d in _DEMONYMS if d.endswith(("an", "ean", "ian"))} | set(_PLURALS), key=len, reverse=True
)
_ETHNIC = (
    r"african[- ]american|afro[- ]american|asian[- ]american|black|white|latino|latina|latinx|hispanic|asian|"
    r"caucasian|indigenous|native american|arab|biracial|mixed[- ]race"
)
_ETHNIC_PEOPLE = r"African[- ]Americans|Latinos|Latinas|Hispanics|Caucasians|Asians|Asian[- ]Americans|Arabs"
_AGE_WORDS = r"teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|[1-9]0s|'[1-9]0s"
_AGE_ADJ = (
    r"young|younger|older|elderly|teen|teenage|teenaged|adult|middle-aged|millennial|boomer|gen[- ]?[zx]|"
    r"zoomer|(?:twenty|thirty|forty|fifty|sixty)[- ]?something|\d{1,2}-year-old"
)
_GENDER = r"woman|man|guy|girl|lady|gal|dude|boy|gentleman|female|male|mother|father|mom|mum|dad"
_GENDER_PL = r"women|men|guys|girls|ladies|gals|dudes|boys"
# Nouns for people after a demographic word ("Brazilian listeners"); "folk" and "soul" are genres, not people.
_PERSON = (
    r"listeners?|fans?|music[- ]lovers?|music fans?|people|persons?|folks|ears?|audiences?|crowds?|"
    r"communit(?:y|ies)|youth|kids|generation|souls|" + _GENDER_PL + "|" + _GENDER
)
# Words that make "Brazilian …" / "black …" a style or a thing, not a person ("Latin jazz", "black metal").
_MUSIC_WORDS = frozenset(
    """music jazz rock pop punk metal folk funk soul blues rap hip-hop hiphop r&b house techno trance disco
    reggae ska dub country indie electronic electronica dance noise gospel grime drill trap rhythm
    rhythms beat beats sound sounds scene song songs track tracks tune tunes record records classic
    classics ballad ballads anthem anthems hit hits gem gems artist artists band bands singer singers
    rapper rappers producer production guitar guitars percussion vocals lyrics chart charts radio bossa
    samba tango flavour flavor style styles tradition traditions roots-reggae psych psychedelia prog
    shoegaze garage grunge emo hardcore wave new-wave synth synthpop synth-pop cinema film label
    contemporary recording recordings album albums single singles release standard standards""".split()
)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


# "Anglo-American", "Afro-Cuban": a hyphenated compound names a musical culture, not a people.
_DEM = rf"(?<!-)(?:{_alt(_DEMONYMS)})"
_PLACE = _alt(_PLACES)
_NOT_A_STYLE = r"(?!\s+(?:[A-Z&]|(?:" + "|".join(re.escape(w) for w in sorted(_MUSIC_WORDS)) + r")\b))"
# A demographic word used as a person, not as a style or part of a name.
_WHO = rf"(?:(?:{_DEM})|(?i:{_ETHNIC}|{_AGE_ADJ}|{_GENDER}))\b{_NOT_A_STYLE}"

_PATTERNS = [
    re.compile(p)
    for p in (
        # "as a (young) Brazilian listener", "as a woman", "being a Latina,"
        rf"(?i:\b(?:as|being)\s+(?:an?|one)\s+(?:(?:young|proud|true|fellow|real|local)\s+)?){_WHO}",
        # "Brazilian listeners", "Black people", "young fans", "female listeners"
        rf"(?:\b(?:{_DEM})|(?i:\b(?:{_ETHNIC}|{_AGE_ADJ}|female|male)))(?i:\s+(?:music\s+)?(?:{_PERSON}))\b",
        rf"\b(?:{_alt(_PEOPLE)}|{_ETHNIC_PEOPLE})\b",  # "Americans love this", "Latinos"
        rf"(?i:\b(?:fellow)\s+)(?:{_DEM}|{_alt(_PEOPLE)})\b",
        rf"(?i:\b(?:an?\s+(?:{_GENDER})|{_GENDER_PL})\s+like\s+you\b)",
        rf"(?i:\byou(?:'re|\s+are)\s+(?:an?\s+)?){_WHO}",  # "you're Brazilian", "you are a woman"
        rf"(?i:\byour\s+)(?:(?:{_DEM})|(?i:{_ETHNIC}))"
        r"(?i:\s+(?:roots|heritage|background|identity|ancestry|blood|pride))\b",
        r"(?i:\byour\s+(?:heritage|ethnicity|race|ancestry|nationality|gender|sex)\b)",
        # age
        rf"(?i:\bin\s+(?:your|their)\s+(?:early\s+|mid[- ]|late\s+)?(?:{_AGE_WORDS})\b)",
        r"(?i:\byour\s+age\b|\b(?:someone|people|kids|listeners|fans|folks)\s+their\s+age\b)",
        r"(?i:\byour\s+generation\b)",
        # "a 34-year-old like you", "at 34 years old," but not "a 40-year-old classic"
        rf"(?i:\b\d{{1,2}}[- ]years?[- ]old(?:\s+(?:{_PERSON}|like\s+you)\b|\s*[,.!?;:]|$))",
        r"(?i:\b(?:twenty|thirty|forty|fifty|sixty)[- ]?somethings\b)",
        r"(?i:\b(?:teenagers?|millennials|boomers|zoomers|gen[- ]?[zx]ers)\b)",
        r"(?i:\byou(?:'re|\s+are)\s+(?:still\s+|so\s+)?(?:young|old|older|younger|\d{2})\b)",
        # place
        rf"(?i:\b(?:across|throughout|all\s+over|wherever\s+you\s+are\s+in|here\s+in|over\s+in|out\s+in|"
        rf"at\s+home\s+in|back\s+home\s+in|over\s+to|your\s+way\s+to)\s+)(?:{_PLACE})\b",
        rf"(?i:\b(?:people|listeners?|fans?|folks|everyone|everybody|anyone|someone|somebody|audiences?|"
        rf"crowds?|kids|music\s+lovers|you|you're|you\s+are)\s+(?:(?:living|based|who\s+live|who\s+are)\s+)?"
        rf"(?:in|from|across|throughout|all\s+over)\s+)(?:{_PLACE})\b",
        rf"(?i:\b(?:your|their)\s+(?:days?|evenings?|weeks?|weekends?|mornings?|nights?|commute|summer|"
        rf"winter)\s+(?:in|over\s+in|out\s+in)\s+)(?:{_PLACE})\b",
        r"(?i:\b(?:your|their)\s+(?:home\s+)?(?:country|hometown|home\s+town|homeland|nation|"
        r"part\s+of\s+the\s+world|corner\s+of\s+the\s+world|neck\s+of\s+the\s+woods)\b)",
        r"(?i:\bwhere\s+you\s+(?:live|are\s+from|'re\s+from|come\s+from|grew\s+up)\b)",
    )
]
_MASK = "NAME"  # a capitalised stand-in: a demographic word before it reads as part of a name


def profile_claims(
    reply: str, turn: Mapping[str, Any] | None = None, names: CatalogNames | None = None, context: str = ""
) -> list[str]:
    """The phrases of ``reply`` that use the listener's demographics (see the module docstring); [] if none.

    ``turn`` (a turn row) adds its profile (``country_name``, ``age``) and its conversation (``message``,
    ``prev_user``): a country or people the listener brought up is their subject ("music from Brazil"),
    not a profile. ``names`` masks catalog names; ``context`` is more text whose countries may be named
    (e.g. the catalog facts an LLM was shown).
    """
    text = _masked(reply, names)
    spans = [m.span() for pattern in _PATTERNS for m in pattern.finditer(text)]
    if turn is not None:
        said = " ".join([str(turn.get("message") or ""), *map(str, turn.get("prev_user") or ()), context])
        spans += _own_profile(text, turn)
        spans = [s for s in spans if not _said_before(text[s[0] : s[1]], said)]
    # Overlapping phrases are one claim ("as a Brazilian" + "Brazilian listener").
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return list(dict.fromkeys(" ".join(text[a:b].split()) for a, b in merged))


def _masked(reply: str, names: CatalogNames | None) -> str:
    """``reply`` with quoted spans and catalog names replaced by ``NAME``, except a name within a country or
    people: a track "Kingdom" must not hide "the United Kingdom", nor the band "Japan" hide Japan (but the
    band "Brazilian Girls" is masked)."""
    text = re.sub(r"\"[^\"]+\"|“[^”]+”", _MASK, reply)
    if names is None:
        return text
    found = set(catalog_names_in(text, names))
    if not found:
        return text
    countries = [m.span() for m in _COUNTRY_WORD.finditer(text)]
    spans = sorted(
        m.span()
        for name in found
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        if not any(a <= m.start() and m.end() <= b for a, b in countries)
    )
    out, at = [], 0
    for a, b in spans:
        if a >= at:  # overlapping names: the first one wins
            out += [text[at:a], _MASK]
            at = b
    return "".join(out) + text[at:]


def _own_profile(text: str, turn: Mapping[str, Any]) -> list[tuple[int, int]]:
    """Mentions of the listener's own country (any) and demonym (as a person, not a style), and their age."""
    spans = []
    country = str(turn.get("country_name") or "").strip()
    if country:
        places, demonyms = COUNTRIES.get(country, ((country,), ()))
        # "by Japan" credits an artist, it does not place the listener.
        spans += [m.span() for m in re.finditer(rf"(?<!\bby )\b(?:{_alt(places)})\b", text)]
        if demonyms:
            # Musical cultures and languages are tastes, not peoples: "North American leanings",
            # "Anglo-American", "Spanish-language".
            regional = r"(?<![-\w])(?<!North )(?<!South )(?<!Latin )(?<!Central )"
            own = rf"{regional}(?:{_alt(demonyms)})\b(?!-){_NOT_A_STYLE}"
            spans += [m.span() for m in re.finditer(own, text)]
    age = turn.get("age")
    if isinstance(age, int | float) and not isinstance(age, bool) and age > 0:
        spans += [
            m.span() for m in re.finditer(rf"(?i:\b(?:you're|you\s+are|at|aged?)\s+{int(age)}\b)", text)
        ]
    return spans


def _said_before(phrase: str, said: str) -> bool:
    """Whether ``phrase`` names a country or region (by a name or demonym) that ``said`` also names."""
    return any(in_phrase.search(phrase) and in_said.search(said) for in_phrase, in_said in _COUNTRY_WORDS)


# Each country's (and region's) words, as (case-sensitive, case-insensitive) patterns: "did the listener name
# it?"; and every such word, for masking.
_WORD_GROUPS = [(*places, *demonyms) for places, demonyms in COUNTRIES.values()] + [
    (r,) for r in (*_REGIONS, *_REGIONAL)
]
_COUNTRY_WORDS = [
    (re.compile(rf"\b(?:{_alt(words)})"), re.compile(rf"(?i)\b(?:{_alt(words)})")) for words in _WORD_GROUPS
]
_COUNTRY_WORD = re.compile(
    rf"\b(?:{_alt(sorted({w for ws in _WORD_GROUPS for w in ws}, key=len, reverse=True))})\b"
)
