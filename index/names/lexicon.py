"""Word lists for the entity recogniser: the shipped gazetteers and the closed classes of words
that look like names but are not (sentence starters, months, titles, common acronyms).

Gazetteers live in `index/data/gazetteer_*.txt`, one name a line, `#` comments; each file states
its source at the top. Names are matched token by token, case-sensitively (curly quotes folded).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent.parent / "data"

# gazetteer file -> entity type
GAZETTEERS = {
    "gazetteer_countries.txt": "GPE",
    "gazetteer_us_states.txt": "GPE",
    "gazetteer_cities.txt": "GPE",
    "gazetteer_locations.txt": "LOC",
    "gazetteer_nationalities.txt": "NORP",
    "gazetteer_organisations.txt": "ORG",
    "gazetteer_products.txt": "PRODUCT",
    "gazetteer_finance.txt": "FIN",
    "gazetteer_events.txt": "EVENT",
}

# Token pattern shared by documents and gazetteer entries (see entities.tokenize).
ABBREVS = (
    "Inc|Corp|Co|Ltd|Jr|Sr|Bros|Mr|Mrs|Ms|Dr|St|Mt|Ft|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|"
    "Sgt|Rev|Hon|Messrs|Pres|Adm|Supt|Plc|Cie"
)
TOKEN_RE = re.compile(
    r"(?P<acr>(?:[A-Z]\.){2,}(?![A-Za-z]))"
    r"|(?P<abbr>(?:" + ABBREVS + r")\.)"
    r"|(?P<poss>['’]s(?![A-Za-z]))"
    # a word: runs of letters/digits joined by `-`, `&`, `.` or an apostrophe before two letters
    # (one run at a time, not one character at a time: the same tokens, found faster)
    r"|(?P<word>[^\W_]+(?:(?:[-&.]|['’](?=[A-Za-z]{2,}))[^\W_]+)*)"
    r"|(?P<punct>\S)"
)


def norm(token: str) -> str:
    """Token text for matching: curly apostrophes folded to straight ones."""
    return token.replace("’", "'").replace("‘", "'")


def _lines(name: str) -> list[str]:
    path = DATA / name
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@lru_cache(maxsize=65536)
def gazetteer_key(name: str) -> tuple[str, ...]:
    """A name as the token tuple the gazetteer table is keyed by (cached: the clustering asks
    for the same names again and again).
    """
    return tuple(norm(m.group()) for m in TOKEN_RE.finditer(name))


@lru_cache(maxsize=1)
def gazetteer() -> dict[tuple[str, ...], str]:
    """Token tuple -> type. Later files do not override earlier, more specific ones."""
    table: dict[tuple[str, ...], str] = {}
    for name, etype in GAZETTEERS.items():
        for entry in _lines(name):
            table.setdefault(gazetteer_key(entry), etype)
    return table


@lru_cache(maxsize=1)
def gazetteer_lengths() -> dict[str, tuple[int, ...]]:
    """First token -> the lengths (in tokens) of the gazetteer entries it starts, longest first:
    the phrase matcher tries only those.
    """
    lengths: dict[str, set[int]] = {}
    for k in gazetteer():
        if k:
            lengths.setdefault(k[0], set()).add(len(k))
    return {head: tuple(sorted(ls, reverse=True)) for head, ls in lengths.items()}


@lru_cache(maxsize=1)
def titles_bare() -> frozenset[str]:
    """Titles without their final period ("Dr" for "Dr.")."""
    return frozenset(x.rstrip(".") for x in TITLES)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Common given names (a cue for PERSON and a CRF feature)."""
    return frozenset(_lines("gazetteer_first_names.txt"))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case common English words: capitalised only by position, they need evidence."""
    words = set(_lines("gazetteer_common_words.txt"))
    words.update(_lines("stopwords_en.txt"))
    words.update(w.lower() for w in SENTENCE_STARTERS)
    return frozenset(words)


@lru_cache(maxsize=1)
def lower_words() -> frozenset[str]:
    """Words news writes in lower case far more often than capitalised mid-sentence (learnt from
    unlabelled text by `tools.make_lower_words`): at a sentence start they need evidence too.
    """
    return frozenset(_lines("lower_words_en.txt"))


MONTHS = frozenset(
    "January February March April May June July August September October "
    "November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
WEEKDAYS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thurs Fri Sat Sun".split()
)
# Words that begin sentences in news and are never names on their own.
SENTENCE_STARTERS = frozenset(
    """The A An This That These Those Some Many Most Several Few Last Next
According In On At By For From With Without After Before During Since Until While When Where Why How
What Which Who Whom Whose If Although Though Because But And Or Yet So Nor However Meanwhile Also
Still Even Only Just Here There Now Then Today Yesterday Tomorrow Tonight Earlier Later Recently
Currently Previously Instead Moreover Furthermore Overall Finally First Second Third Other Another
Each Every All Both Either Neither No Not Such Its It He She They We I You Our Their His Her My
Your Mr Mrs Ms Over Under About Around Among Between Despite Unlike Like As Amid Following
Including Asked Please Yes New Former Under Several Analysts Officials Shares Sales Investors
Experts Critics Sources Reports Data Prices Earnings Revenue Economists Lawmakers Regulators
Employees Workers Customers Users Developers Engineers Executives Stocks Markets Profits Scientists
Researchers Traders Authorities Residents Police Witnesses Doctors Students Parents Voters Fans
Consumers Shoppers Buyers Sellers Banks Companies Firms Rivals Prosecutors Judges Protesters
Opponents Supporters Leaders Members Others Both Neither Unlike Asked Told Speaking Shortly
Meanwhile Elsewhere Separately Together Overall Initially Eventually Ultimately Nevertheless
Nonetheless Otherwise Therefore Thus Hence Indeed Perhaps Maybe Clearly Notably Importantly
Analysts Officials Investors Sources""".split()
)
# Labels of related-article lines and other furniture: not names even in capitals.
LABELS = frozenset(
    "READ RELATED ALSO MORE UPDATE UPDATED BREAKING EXCLUSIVE WATCH VIDEO PHOTOS "
    "PHOTO ADVERTISEMENT SUBSCRIBE SHARE EDITOR NOTE Read Related Share".split()
)
# Acronyms used as common nouns: never an entity alone, trimmed off the ends of names.
COMMON_ACRONYMS = frozenset(
    """AI AGI LLM LLMs CEO CEOs CFO CTO COO CIO CMO CPO EVP SVP VP IPO IPOs
GDP CPI TV PC PCs IT HR PR R&D VR AR XR API APIs GPU GPUs CPU CPUs UI UX OS SUV SUVs EV EVs ID IDs
DNA RNA FAQ PDF ATM USB SMS URL OK AM PM CD CDs DVD UFO NGO NGOs VAT GMT UTC ET EST PST BST CET IQ
MBA PhD MP MPs SEO SaaS B2B M&A ETF ETFs ESG IoT 5G 4G 3G LED LCD HD USD EUR GBP JPY CNY RMB CHF CAD
AUD HKD INR KRW GB MB KB TB GHz MHz MP3 PDF FY Q1 Q2 Q3 Q4 H1 H2 CO2 NB PS""".split()
)
# Titles and roles: cue PERSON for the following name, never part of the name. The last two lines
# (round 22) are the offices American news writes before a name ("County Sheriff Tommy Bryant").
TITLES = frozenset(
    """Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Sir Dame Lord Lady President Vice
Chief Executive Officer Chairman Chairwoman Chair Secretary Minister Prime Senator Sen Sen.
Representative Rep Rep. Governor Gov Gov. Judge Justice Mayor King Queen Prince Princess Pope
Director Spokesman Spokeswoman Spokesperson Professor Chancellor Premier Ambassador Commissioner
Sheikh General Gen Gen. Colonel Col. Captain Capt. Lieutenant Lt. Sergeant Admiral CEO CFO COO
CTO Founder Co-founder Cofounder Analyst Presiding Deputy Managing Senior Attorney Speaker
Councillor Councilman Congressman Congresswoman Inspector Officer Detective Archbishop Bishop
Rabbi Imam Father Reverend Rev. Hon. Dean Coach Head Editor
Sheriff Prosecutor Trooper Magistrate Coroner Marshal Superintendent Commander Corporal Constable
Councilwoman Assemblyman Assemblywoman Alderman""".split()
)
# lower-case role nouns that cue PERSON for an adjacent name
PERSON_NOUNS = frozenset(
    """analyst analysts spokesman spokeswoman spokesperson executive
executives founder co-founder cofounder director president chairman chairwoman minister secretary
official officer chief ceo cfo coo cto researcher scientist engineer professor economist reporter
journalist author writer senator governor mayor judge lawyer attorney investor trader strategist
manager head leader actor actress singer player coach who presenter editor employee worker
designer developer resident citizen son daughter wife husband mother father brother sister
""".split()
)
ORG_NOUNS = frozenset(
    """company companies firm firms group lab labs laboratory team agency unit
division subsidiary startup start-up maker manufacturer automaker carmaker airline airlines carrier
retailer bank lender insurer giant conglomerate rival rivals competitor partner parent owner
developer publisher broadcaster newspaper magazine network studio organisation organization
government party union club university school institute regulator watchdog ministry department
court board committee council shares stock stocks share investors executives employees staff
headquarters chipmaker airframer supplier vendor operator consortium brand brands""".split()
)
PRODUCT_NOUNS = frozenset(
    """platform platforms app apps application model models assistant
assistants chatbot chatbots tool tools software service browser device devices phone phones
smartphone smartphones handset tablet laptop computer console game engine chip chips processor
aircraft airliner jet jets plane planes car cars vehicle vehicles truck sedan suv drug vaccine
system operating feature version update extension plugin product products""".split()
)
# Legal forms of companies abroad as news writes them after the name, with and without their dots
# ("Montedison S.p.A." is cut before its last period): none an English word or a name of its own.
# Not SE (south-east), AB (Alberta, at-bats) nor a bare SA (South Africa) / NV (Nevada); ASA is
# also an organisation's acronym alone, so it only votes (ORG_SUFFIXES), never drops (suffix_only).
LEGAL_FORMS_ABROAD = frozenset("S.p.A S.p.A. SpA S.A S.A. N.V N.V. Oyj Pty Pty. Bhd Bhd. K.K K.K.".split())
ORG_SUFFIXES = (
    frozenset(
        """Inc Inc. Corp Corp. Corporation Company Co Co. Cos Cos. Ltd Ltd. LLC LLP PLC Plc
plc AG SA S.A. NV N.V. GmbH SE Group Holdings Airlines Airways Air Motors Motor Bank Bancorp Partners
Capital Technologies Technology Systems Industries Labs Laboratories Foundation Institute University
College School Association Society Agency Authority Commission Committee Council Department Ministry
Office Bureau Board Party Union Federation League Club Times Post Journal News Press Network Media
Studios Pictures Records Entertainment Communications Telecom Pharmaceuticals Energy Petroleum
Electric Insurance Securities Exchange Fund Trust Reserve Court Parliament Senate Assembly Army Navy
Force Police Service Services Research Consulting Solutions Software Foods Brands Stores Markets
Organization Organisation Administration Coalition Alliance Corps Church Academy
Museum Hospital Bros Bros. Brothers Ventures Financial Investments Semiconductor Aerospace
Aviation Electronics Communications Mobile Robotics Therapeutics Biotech Lines Railways Railway
Gazette Herald Tribune Daily Magazine Review Channel Radio Television Broadcasting Records ASA""".split()
    )
    | LEGAL_FORMS_ABROAD
)
GPE_SUFFIXES = frozenset("City County Province Prefecture District Republic Kingdom Emirates".split())
LOC_SUFFIXES = frozenset(
    """River Lake Ocean Sea Bay Island Islands Mountains Mountain Mount Valley
Desert Peninsula Coast Gulf Strait Canal Airport Street Avenue Road Square Bridge Stadium Park
Tower Palace Station Port Harbor Harbour Beach Forest Falls Heights Hill Hills Plaza Arena Field
Building Boulevard Highway Canyon Glacier Reef Delta Basin Center Centre Factory Plant Theater
Theatre Terminal Hotel Mall Zoo Cathedral Temple Mosque Prison Base""".split()
)
EVENT_SUFFIXES = frozenset(
    """War Olympics Games Cup Championship Championships Summit Conference
Festival Expo Fair Forum Election Elections Revolution Crisis Awards Prize Marathon Open Tournament
Grand Prix Derby Convention Congress Symposium Week Day Accords Accord Treaty Act""".split()
)
# `X of Y` is one name only when X ends with one of these heads (Bank of America, University of X).
OF_HEADS = frozenset(
    """bank university institute department ministry republic kingdom state
states city county province school college museum church council board court house office
bureau federation association society academy commission union party league order centre center
hall chamber company corporation agency administration secretary duke prince princess king queen
gulf bay sea isle island islands cape strait statue tower palace fund organization organisation
conference army navy people's people commonwealth district federal""".split()
)
FOR_HEADS = frozenset(
    """center centre institute committee council commission foundation office
agency association coalition campaign organisation organization society fund""".split()
)
PARTICLES = frozenset("de du del della di da van von der den la le bin al ibn dos das".split())
UNIT_WORDS = frozenset(
    """million billion trillion thousand hundred percent per cent points point
pc years year months month days day hours minutes people jobs employees shares units dollars
euros pounds yen km miles kg tons tonnes times""".split()
)


@lru_cache(maxsize=1)
def gazetteer_states() -> frozenset[str]:
    """Single-word states and countries: `Mobile, Alabama` makes Mobile a place."""
    names = _lines("gazetteer_us_states.txt") + _lines("gazetteer_countries.txt")
    return frozenset(n for n in names if " " not in n)


@lru_cache(maxsize=1)
def fallback_abbreviations() -> frozenset[str]:
    """Words that end in a period without ending a sentence (Mr., Inc., U.S.), case as written."""
    words = {w.rstrip(".") for w in TITLES if w.endswith(".")} | set(ABBREVS.split("|"))
    for w in _lines("abbreviations_en.txt"):
        words.add(w)
        words.add(w.capitalize())
    return frozenset(words)


GENERATIONS = frozenset("jr jr. sr sr. junior senior ii iii iv".split())


def surname_of(words: list[str]) -> tuple[str, bool]:
    """A person's surname from the words of its lower-case key (generation words such as `jr.`
    skipped: "hinckley" of "john hinckley jr.") and whether a generation word was there.
    """
    n = len(words)
    while n > 1 and words[n - 1] in GENERATIONS:
        n -= 1
    return words[n - 1], n < len(words)


_MODIFIER_TAILS = frozenset(
    "based born led owned flagged made backed controlled run registered funded listed style speaking".split()
)
_MODIFIER_HEADS = frozenset("non anti pro ex pan".split())


def modifier_tail(word: str) -> bool:
    """The lower-case word after the hyphen of a modifier ("based" of "Mass.-based")."""
    return word in _MODIFIER_TAILS


def hyphen_modifier(text: str) -> bool:
    """A name joined by a hyphen to a lower-case word into a modifier: "Switzerland-based",
    "U.S.-flagged", "non-Asian" (never "Coca-Cola", "al-Qaeda", "Ki-moon"). CoNLL-2003 tags
    them MISC and the recogniser keeps its convention; `/entities` does not list them.
    """
    head, _, tail = text.partition("-")
    return bool(tail) and (tail.rsplit("-", 1)[-1] in _MODIFIER_TAILS or head in _MODIFIER_HEADS)


# legal forms that end a company's name: a document cluster named with one is a company ("Kyle
# Technology Corp." ... "Kyle's board"), whatever the CRF said of its short forms
COMPANY_SUFFIXES = (
    frozenset("Inc Inc. Corp Corp. Corporation Co Co. Cos Cos. Ltd Ltd. LLC PLC Plc plc AG GmbH".split())
    | LEGAL_FORMS_ABROAD
)


def demonym(words: tuple[str, ...]) -> bool:
    """A people named from a place the gazetteers know though the nationality list lacks the form:
    a plural ("South Africans"), or a country or state and "n" / "ns" ("Tanzanian", "Tanzanians").
    """
    gaz = gazetteer()
    last = words[-1]
    if len(last) < 4 or last[-1] not in "sn":
        return False
    stem = last[:-1] if last.endswith("s") else last
    if gaz.get((*words[:-1], stem)) == "NORP":
        return True  # a plural of a listed nationality
    return stem.endswith("n") and gaz.get((*words[:-1], stem[:-1])) == "GPE" and stem[-2] in "aeiou"


# the AP's abbreviations of US states, written after a city ("Louisville, Ky.", "Charlotte, N.C.")
US_STATE_ABBREVS = frozenset(
    """Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo Mont Neb
Nev N.H N.J N.M N.Y N.C N.D Okla Ore Pa R.I S.C S.D Tenn Va Vt Wash W.Va Wis Wyo""".split()
)


def us_state_abbrev(word: str) -> bool:
    """An AP abbreviation of a US state, with or without its period: "Ky", "Ky.", "N.C.", "MO"."""
    w = word[:-1] if word.endswith(".") else word
    return w in US_STATE_ABBREVS or (w.isupper() and len(w) > 1 and w.title() in US_STATE_ABBREVS)
