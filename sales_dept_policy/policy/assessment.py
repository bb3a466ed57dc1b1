"""ASM: the monthly and yearly assessment of salespeople (SPEC ASM-1..3).

Plain values in, plain values out; the models read the figures from the records
and store what these functions return, so a salesperson can redo every step:

1. Each criterion has a ratio, actual over what was owed (``*_ratio``); a
   criterion with nothing to measure (no target, no delivery due in the month,
   no activity target, no confirmed order) has no ratio (``None``).
2. A ratio becomes a score of 0 to 100: ``min(ratio, 1) × 100`` (``score``):
   reaching the target is full marks, more earns nothing more, nothing done is 0.
3. The weighted score is the weighted average of the measured criteria
   (``weighted_score``): a criterion left out does not count as 0, the weights of
   the others carry the total (weights 40/30/10/10/10 and no delivery due: the
   other four count for 40/90, 30/90, 10/90 and 10/90).
4. The manager adds a judgment within ± the band (default 10 points), with a
   comment whenever it is not 0 (``adjustment_error``, ASM-2).
5. The total is the weighted score plus the adjustment, kept within 0..100
   (``total_score``): a score cannot leave the scale its grades are set on.
6. The grade: S 优秀 from 90, A 良好 from 80, B 一般 from 60, else C 需改进
   (``grade``; thresholds configurable, strictly decreasing).
7. A year (ASM-3) is assessed from its approved months (``year_scores``), and the
   quarterly and annual sales champions are ranked by the signed sales of the
   approved months (``ranking``).
"""

from ._markers import _lt

#: ASM-1: the criteria, in the order the scorecard shows them
CRITERIA = ("sales", "collection", "profit", "shipment", "activity")

#: ASM-1: the default weights, in points summing to 100 (configurable)
DEFAULT_WEIGHTS = {"sales": 40, "collection": 30, "profit": 10, "shipment": 10, "activity": 10}
#: ASM-2: the manager's adjustment, at most this many points either way (configurable)
DEFAULT_BAND = 10.0
#: ASM-2: the lowest total of each grade (configurable); below the last one, C
DEFAULT_THRESHOLDS = (("S", 90.0), ("A", 80.0), ("B", 60.0))
#: ASM-2: the grades, with their labels (优秀, 良好, 一般, 需改进)
GRADE_LABELS = (
    ("S", _lt("S · Excellent")),
    ("A", _lt("A · Good")),
    ("B", _lt("B · Fair")),
    ("C", _lt("C · Needs Improvement")),
)
#: ASM-1: the margin on the month's confirmed orders that earns full marks on profit,
#: in % of their untaxed amount (configurable)
DEFAULT_TARGET_MARGIN = 20.0
#: ASM-3: how champions are ranked: signed sales of the approved months first, then
#: the average total score of those months (higher first on both); who is equal on
#: both shares the rank (1, 1, 3), so equal champions are champions together
RANKING_KEYS = ("signed", "average_score")

_EPSILON = 1e-9


def _round(value):
    return round(value + 0.0, 2)


# ----------------------------------------------------------------------
# Ratios: what each criterion measures
# ----------------------------------------------------------------------
def ratio(actual, target):
    """ASM-1: ``actual / target``; ``None`` (not measured) without a target."""
    if not target or target <= 0:
        return None
    return max(actual or 0.0, 0.0) / target


def profit_ratio(margin, amount, target_margin_percent):
    """ASM-1: the margin rate of the month's confirmed orders (margin / untaxed
    amount) over the target rate; ``None`` without an order or a target rate. A
    negative margin is a ratio of 0."""
    if not amount or amount <= 0 or not target_margin_percent or target_margin_percent <= 0:
        return None
    return max(margin or 0.0, 0.0) / amount / (target_margin_percent / 100.0)


def shipment_ratio(on_time, done):
    """ASM-1: deliveries done by their promised day over the deliveries done in the
    month; ``None`` when nothing was delivered."""
    if not done or done <= 0:
        return None
    return (on_time or 0) / done


def owed_in_month(count, period, days_in_month):
    """VIS-4, ASM-1: how many effective records a target owes in a month: a month's
    target its count; a week's target pro rata to the month's days (10 a week owe
    10 × 31 / 7 = 44.29 in a 31-day month)."""
    if period == "month":
        return float(count)
    if period == "week":
        return count * days_in_month / 7.0
    raise ValueError(f"VIS-4: no period {period!r}")


def activity_ratio(done_by_kind, owed_by_kind):
    """ASM-1: the VIS-4 attainment: the average over the kinds with a target of each
    kind's ``min(done / owed, 1)`` (more visits do not make up for no information
    gathering); ``None`` without any target."""
    parts = [
        min((done_by_kind.get(kind) or 0) / owed, 1.0)
        for kind, owed in owed_by_kind.items()
        if owed and owed > 0
    ]
    if not parts:
        return None
    return sum(parts) / len(parts)


def score(value):
    """ASM-1: a ratio as a score: ``min(ratio, 1) × 100``, rounded to 0.01;
    ``None`` (not measured) stays ``None``."""
    if value is None:
        return None
    return _round(min(max(value, 0.0), 1.0) * 100.0)


# ----------------------------------------------------------------------
# Totals and grades
# ----------------------------------------------------------------------
def weighted_score(scores, weights):
    """ASM-1: the weighted average of the measured criteria (score not ``None``,
    weight above 0): the left-out ones' weights are carried by the others.
    ``None`` when no criterion is measured."""
    measured = [
        (scores[c], weights.get(c) or 0)
        for c in CRITERIA
        if scores.get(c) is not None and (weights.get(c) or 0) > 0
    ]
    total_weight = sum(w for _s, w in measured)
    if not total_weight:
        return None
    return _round(sum(s * w for s, w in measured) / total_weight)


def effective_weights(scores, weights):
    """ASM-1: the share (in %) each criterion has in the weighted score once the
    criteria left out are dropped: what the scorecard shows next to each score."""
    counted = {
        c: weights.get(c) or 0
        for c in CRITERIA
        if scores.get(c) is not None and (weights.get(c) or 0) > 0
    }
    total = sum(counted.values())
    return {c: _round(counted[c] * 100.0 / total) if c in counted else 0.0 for c in CRITERIA}


def total_score(weighted, adjustment):
    """ASM-2: the weighted score plus the manager's adjustment, within 0..100;
    ``None`` when nothing was measured."""
    if weighted is None:
        return None
    return _round(min(max(weighted + (adjustment or 0.0), 0.0), 100.0))


def grade(total, thresholds=DEFAULT_THRESHOLDS):
    """ASM-2: S, A or B from their lowest total, else C; ``False`` without a total.
    Exactly on a threshold is that grade (90 is S, 89.99 is A)."""
    if total is None:
        return False
    for code, minimum in sorted(thresholds, key=lambda t: -t[1]):
        if total >= minimum - _EPSILON:
            return code
    return "C"


# ----------------------------------------------------------------------
# What the settings and the manager may set
# ----------------------------------------------------------------------
def weights_error(weights):
    """ASM-1: ``None`` when each weight is between 0 and 100 and they sum to 100,
    else ``"range"`` or ``"sum"``."""
    values = [weights.get(c) or 0 for c in CRITERIA]
    if any(v < 0 or v > 100 for v in values):
        return "range"
    if abs(sum(values) - 100) > _EPSILON:
        return "sum"
    return None


def thresholds_error(s_from, a_from, b_from):
    """ASM-2: ``None`` when 100 ≥ S > A > B ≥ 0, else ``"order"``."""
    if 100 + _EPSILON >= s_from > a_from > b_from >= 0:
        return None
    return "order"


def band_error(band):
    """ASM-2: the band is between 0 and 100 points."""
    return None if 0 <= (band or 0.0) <= 100 else "range"


def target_margin_error(percent):
    """ASM-1: a target margin is above 0 and at most 100 %."""
    return None if 0 < (percent or 0.0) <= 100 else "range"


def adjustment_error(adjustment, band, comment):
    """ASM-2: ``None`` when the manager's adjustment is within ± ``band`` and, when
    it is not 0, comes with a comment; else ``"band"`` or ``"comment"``."""
    adjustment = adjustment or 0.0
    if abs(adjustment) > (band or 0.0) + _EPSILON:
        return "band"
    if abs(adjustment) > _EPSILON and not (comment or "").strip():
        return "comment"
    return None


# ----------------------------------------------------------------------
# The year and the champions (ASM-3)
# ----------------------------------------------------------------------
def _average(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return _round(sum(values) / len(values))


def year_scores(months):
    """ASM-3: a year from its approved months, each a mapping with the criteria's
    scores (``None``: not measured that month) and ``total``:

    - each criterion: the average of the months in which it was measured;
    - ``weighted``: the average of the months' totals (their adjustments
      included: the assessment is monthly first, 以月度考核为主); the year's own
      adjustment is added to it like a month's (``total_score``).
    ``weighted`` is ``None`` without an approved month.
    """
    result = {c: _average([m.get(c) for m in months]) for c in CRITERIA}
    result["weighted"] = _average([m.get("total") for m in months])
    return result


def ranking(entries):
    """ASM-3: ``{key: rank}`` of ``entries`` (``(key, signed, average_score)``):
    higher signed sales first, then the higher average total score; equal on both
    share the rank and the next rank skips (1, 1, 3: SQL's ``RANK()``). Rank 1 is the
    champion, so equal first places are champions together."""
    order = sorted(entries, key=lambda e: (-(e[1] or 0.0), -(e[2] or 0.0)))
    ranks = {}
    previous, rank = None, 0
    for position, (key, signed, average) in enumerate(order, start=1):
        values = (round(signed or 0.0, 2), round(average or 0.0, 2))
        if values != previous:
            rank, previous = position, values
        ranks[key] = rank
    return ranks
