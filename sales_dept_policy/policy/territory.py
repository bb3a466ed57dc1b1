"""TER: territories and which one a customer belongs to (SPEC TER-1..4).

Addresses are Chinese as often as not: lists are separated the Chinese way as
well (，、； and the full-width space), and place names compare with or without
their administrative suffix (杭州 = 杭州市, 广西 = 广西壮族自治区), through
``place_key`` alone.
"""

import re
import unicodedata

#: TER-2: how specific each kind of match is; a longer zip prefix beats a
#: shorter one, any zip prefix beats a city, a city a state, a state a country.
_ZIP, _CITY, _STATE, _COUNTRY = 3, 2, 1, 0

#: TER-1: what separates the values of a territory's city or zip list, once
#: NFKC has made the full-width forms (，；　) ASCII: commas, semicolons, the
#: ideographic comma 、 and line breaks always; a space too, except between two
#: Latin letters, where it is part of a name ("Hong Kong", "Xi An").
_SEPARATORS = re.compile(r"[,;\u3001\n\r]+|(?<![A-Za-z])\s+|\s+(?![A-Za-z])")

#: TER-2: the administrative suffixes a place name compares without, longest
#: first. A city drops only 市 (区 and 县 are part of a district's or county's
#: name: 西湖区 is not 西湖); a province also drops 省, 自治区 and the long forms
#: of the autonomous regions, and 特别行政区.
_CITY_SUFFIXES = ("市",)
_STATE_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
#: a Chinese place name has at least two characters: 沙市 keeps its 市
_MIN_STEM = 2


def _nfkc(text):
    return unicodedata.normalize("NFKC", text or "")


def place_key(name, level="city"):
    """TER-2: the form in which two place names compare.

    NFKC (full-width letters, digits and spaces become ASCII), surrounding
    blanks removed, case folded, then one administrative suffix dropped:
    ``市`` for a city (``level="city"``); ``省``, ``市``, ``自治区``, the long
    forms such as ``广西壮族自治区`` and ``特别行政区`` for a province
    (``level="state"``). A suffix stays when less than two characters would be
    left. "杭州市" and "杭州" give the same key; "西湖区" and "西湖" do not.
    """
    key = _nfkc(name).strip().casefold()
    suffixes = _STATE_SUFFIXES if level == "state" else _CITY_SUFFIXES
    for suffix in suffixes:
        if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_STEM:
            return key[: -len(suffix)].strip()
    return key


def split_list(text):
    """TER-1: the values of a territory's city or zip list, cleaned: separated by
    commas, semicolons, line breaks or spaces, ASCII or Chinese (，、；　)."""
    return [v.strip() for v in _SEPARATORS.split(_nfkc(text)) if v.strip()]


def zip_key(zip_code):
    """TER-2: a zip code or prefix as compared: NFKC (full-width digits), no blanks."""
    return re.sub(r"\s+", "", _nfkc(zip_code))


def match_score(territory, address):
    """TER-2: how specifically ``territory`` matches ``address``, or ``None``.

    ``territory``: dict with ``country_id``, ``state_ids``, ``city_names``,
    ``zip_prefixes`` (the last two lists of strings) and optionally
    ``state_names``. ``address``: dict with ``country_id``, ``state_id``,
    ``city``, ``zip`` and optionally ``state_name``. Every criterion a
    territory sets must hold; the score ranks the most specific one.

    A state holds by record, or by name (``place_key`` at province level:
    广西 = 广西壮族自治区) when the two records differ; cities compare by
    ``place_key`` (杭州 = 杭州市), zip codes by ``zip_key``.
    """
    country = territory.get("country_id")
    if country and country != address.get("country_id"):
        return None
    states = territory.get("state_ids") or ()
    if states and address.get("state_id") not in states:
        state_names = {place_key(n, "state") for n in territory.get("state_names") or ()}
        state_name = place_key(address.get("state_name"), "state")
        if not (state_name and state_name in state_names):
            return None
    cities = {place_key(c) for c in territory.get("city_names") or ()} - {""}
    city = place_key(address.get("city"))
    if cities and city not in cities:
        return None
    prefixes = {zip_key(p) for p in territory.get("zip_prefixes") or ()} - {""}
    zip_code = zip_key(address.get("zip"))
    best_prefix = max((len(p) for p in prefixes if zip_code.startswith(p)), default=None)
    if prefixes and best_prefix is None:
        return None
    if best_prefix is not None:
        return (_ZIP, best_prefix)
    if cities:
        return (_CITY, 0)
    if states:
        return (_STATE, 0)
    if country:
        return (_COUNTRY, 0)
    return None


def best_territory(territories, address):
    """TER-2: the id of the most specific matching territory, or ``None``.

    Ties go to the deeper territory of the tree, then to the lower id.
    """
    best = None
    for territory in territories:
        score = match_score(territory, address)
        if score is None:
            continue
        key = (score, territory.get("depth", 0), -territory["id"])
        if best is None or key > best[0]:
            best = (key, territory["id"])
    return best and best[1]


def is_out_of_territory(partner_territory_id, user_territory_ids):
    """TER-3: work for a customer outside the salesperson's territories.

    ``user_territory_ids`` holds the user's territories and their children.
    A customer without a territory is outside every territory.
    """
    return partner_territory_id not in set(user_territory_ids or ())
