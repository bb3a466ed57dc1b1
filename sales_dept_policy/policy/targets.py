"""QTA: yearly sales targets, their split and their rating (SPEC QTA-1..6)."""

#: QTA-5: the rating thresholds, as shares of the target (configurable).
DEFAULT_THRESHOLDS = (("S", 1.2), ("A", 1.0), ("B", 0.8))


def _cents(amount):
    return round((amount or 0.0) * 100)


def even_split(total, parts=12):
    """QTA-3: ``total`` split evenly into ``parts``, summing to it to the cent.

    The cents that do not divide go to the first parts, one each.
    """
    cents = _cents(total)
    base, rest = divmod(abs(cents), parts)
    sign = -1 if cents < 0 else 1
    return [sign * (base + (1 if i < rest else 0)) / 100 for i in range(parts)]


def split_error(parts, total):
    """QTA-3: ``None`` when ``parts`` sum to ``total`` to the cent, else the gap."""
    gap = _cents(total) - sum(_cents(p) for p in parts)
    return None if gap == 0 else gap / 100


def forecast_error(low, likely, high):
    """QTA-1: a forecast goes lowest ≤ most likely ≤ highest, none negative."""
    values = [low or 0.0, likely or 0.0, high or 0.0]
    if any(v < 0 for v in values):
        return "negative"
    if not values[0] <= values[1] <= values[2]:
        return "order"
    return None


def attainment(actual, target):
    """QTA-5: actual / target, or ``None`` without a target."""
    if not target:
        return None
    return (actual or 0.0) / target


def rating(ratio, thresholds=DEFAULT_THRESHOLDS):
    """QTA-5: S ≥ 120 %, A ≥ 100 %, B ≥ 80 %, else C (thresholds configurable)."""
    if ratio is None:
        return False
    for grade, minimum in sorted(thresholds, key=lambda t: -t[1]):
        if ratio >= minimum - 1e-9:
            return grade
    return "C"
