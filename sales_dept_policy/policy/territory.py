"""TER: territories and which one a customer belongs to (SPEC TER-1..4)."""

#: TER-2: how specific each kind of match is; a longer zip prefix beats a
#: shorter one, any zip prefix beats a city, a city a state, a state a country.
_ZIP, _CITY, _STATE, _COUNTRY = 3, 2, 1, 0


def split_list(text):
    """The comma- or newline-separated values of a territory field, cleaned."""
    return [v.strip() for v in (text or "").replace("\n", ",").split(",") if v.strip()]


def match_score(territory, address):
    """TER-2: how specifically ``territory`` matches ``address``, or ``None``.

    ``territory``: dict with ``country_id``, ``state_ids``, ``city_names``,
    ``zip_prefixes`` (the last two lists of strings). ``address``: dict with
    ``country_id``, ``state_id``, ``city``, ``zip``. Every criterion a
    territory sets must hold; the score ranks the most specific one.
    """
    country = territory.get("country_id")
    if country and country != address.get("country_id"):
        return None
    states = territory.get("state_ids") or ()
    if states and address.get("state_id") not in states:
        return None
    cities = [c.casefold() for c in territory.get("city_names") or ()]
    city = (address.get("city") or "").strip().casefold()
    if cities and city not in cities:
        return None
    prefixes = territory.get("zip_prefixes") or ()
    zip_code = (address.get("zip") or "").replace(" ", "")
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
