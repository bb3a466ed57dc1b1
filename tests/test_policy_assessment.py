"""ASM-1..3 rules of policy/assessment.py (the assessment of salespeople), without Odoo."""

import pytest

from policy import assessment as asm

ALL = {"sales": 100.0, "collection": 50.0, "profit": 80.0, "shipment": 100.0, "activity": 0.0}


# ----------------------------------------------------------------------
# ratios and scores
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (50.0, 100.0, 0.5),
        (120.0, 100.0, 1.2),
        (0.0, 100.0, 0.0),
        (-10.0, 100.0, 0.0),
        (10.0, 0.0, None),
        (10.0, None, None),
        (10.0, -5.0, None),
    ],
)
def test_asm1_ratio_without_target_is_not_measured(actual, target, expected):
    assert asm.ratio(actual, target) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (0.0, 0.0),
        (0.5, 50.0),
        (0.99994, 99.99),
        (1.0, 100.0),
        (1.7, 100.0),
        (-0.2, 0.0),
    ],
)
def test_asm1_score_is_the_capped_ratio_times_100(value, expected):
    assert asm.score(value) == expected


def test_asm1_profit_ratio_is_margin_rate_over_target_rate():
    # 15 % margin against a 20 % target: 0.75
    assert asm.profit_ratio(1500.0, 10000.0, 20.0) == pytest.approx(0.75)
    # exactly the target rate: full marks
    assert asm.score(asm.profit_ratio(2000.0, 10000.0, 20.0)) == 100.0
    # a loss is 0, not below
    assert asm.profit_ratio(-500.0, 10000.0, 20.0) == 0.0
    # no confirmed order, or no target rate: not measured
    assert asm.profit_ratio(0.0, 0.0, 20.0) is None
    assert asm.profit_ratio(100.0, 1000.0, 0.0) is None


def test_asm1_shipment_ratio_on_time_over_done():
    assert asm.shipment_ratio(1, 2) == 0.5
    assert asm.shipment_ratio(3, 3) == 1.0
    assert asm.shipment_ratio(0, 0) is None


def test_vis4_weekly_target_is_owed_pro_rata_to_the_month():
    assert asm.owed_in_month(10, "week", 28) == pytest.approx(40.0)
    assert asm.owed_in_month(10, "week", 31) == pytest.approx(310 / 7)
    assert asm.owed_in_month(6, "month", 31) == 6.0
    with pytest.raises(ValueError):
        asm.owed_in_month(6, "day", 31)


def test_asm1_activity_caps_each_kind_before_averaging():
    owed = {"info": 40.0, "call": 40.0, "onsite": 6.0}
    # 80 information gatherings do not make up for no visit
    done = {"info": 80, "call": 20, "onsite": 0}
    assert asm.activity_ratio(done, owed) == pytest.approx((1.0 + 0.5 + 0.0) / 3)
    assert asm.activity_ratio({"info": 40, "call": 40, "onsite": 6}, owed) == 1.0
    # a kind without a target is not counted; no target at all: not measured
    assert asm.activity_ratio({"return": 9}, {"return": 0}) is None
    assert asm.activity_ratio({}, {}) is None


# ----------------------------------------------------------------------
# weighted score, adjustment, total, grade
# ----------------------------------------------------------------------
def test_asm1_weighted_score_with_default_weights():
    # 40×100 + 30×50 + 10×80 + 10×100 + 10×0 = 7300 / 100
    assert asm.weighted_score(ALL, asm.DEFAULT_WEIGHTS) == 73.0


def test_asm1_left_out_criterion_is_carried_by_the_others():
    scores = dict(ALL, shipment=None)
    # 7300 − 1000 over 90 points of weight
    assert asm.weighted_score(scores, asm.DEFAULT_WEIGHTS) == round(6300 / 90, 2)
    shares = asm.effective_weights(scores, asm.DEFAULT_WEIGHTS)
    assert shares["shipment"] == 0.0
    assert shares["sales"] == round(4000 / 90, 2)
    assert sum(shares.values()) == pytest.approx(100.0, abs=0.02)


def test_asm1_nothing_measured_has_no_score():
    none = dict.fromkeys(asm.CRITERIA)
    assert asm.weighted_score(none, asm.DEFAULT_WEIGHTS) is None
    assert asm.total_score(None, 5) is None
    assert asm.grade(None) is False
    # a criterion with weight 0 counts for nothing, measured or not
    only_activity = dict(none, activity=100.0)
    weights = dict(asm.DEFAULT_WEIGHTS, sales=50, activity=0)
    assert asm.weighted_score(only_activity, weights) is None


def test_asm1_changed_weights_change_the_result():
    weights = {"sales": 20, "collection": 20, "profit": 20, "shipment": 20, "activity": 20}
    assert asm.weighted_score(ALL, weights) == 66.0


@pytest.mark.parametrize(
    ("adjustment", "band", "comment", "expected"),
    [
        (0.0, 10.0, "", None),
        (10.0, 10.0, "Helped the team close Hengda", None),
        (-10.0, 10.0, "Late reports", None),
        (10.5, 10.0, "too much", "band"),
        (-11.0, 10.0, "too much", "band"),
        (5.0, 10.0, "", "comment"),
        (5.0, 10.0, "   ", "comment"),
        (5.0, 5.0, "changed band", None),
        (6.0, 5.0, "changed band", "band"),
    ],
)
def test_asm2_adjustment_band_and_comment(adjustment, band, comment, expected):
    assert asm.adjustment_error(adjustment, band, comment) == expected


def test_asm2_total_is_clamped_to_the_scale():
    assert asm.total_score(73.0, 5.0) == 78.0
    assert asm.total_score(95.0, 10.0) == 100.0
    assert asm.total_score(4.0, -10.0) == 0.0


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (100.0, "S"),
        (90.0, "S"),
        (89.99, "A"),
        (80.0, "A"),
        (79.99, "B"),
        (60.0, "B"),
        (59.99, "C"),
        (0.0, "C"),
    ],
)
def test_asm2_grade_at_the_default_thresholds(total, expected):
    assert asm.grade(total) == expected


def test_asm2_grade_with_changed_thresholds():
    thresholds = (("S", 95.0), ("A", 85.0), ("B", 70.0))
    assert asm.grade(94.99, thresholds) == "A"
    assert asm.grade(95.0, thresholds) == "S"
    assert asm.grade(69.99, thresholds) == "C"


def test_asm_settings_validation():
    assert asm.weights_error(asm.DEFAULT_WEIGHTS) is None
    assert asm.weights_error(dict(asm.DEFAULT_WEIGHTS, sales=41)) == "sum"
    assert asm.weights_error(dict(asm.DEFAULT_WEIGHTS, sales=110, collection=-40)) == "range"
    assert asm.thresholds_error(90, 80, 60) is None
    assert asm.thresholds_error(90, 90, 60) == "order"
    assert asm.thresholds_error(101, 80, 60) == "order"
    assert asm.thresholds_error(90, 80, -1) == "order"
    assert asm.band_error(10) is None
    assert asm.band_error(-1) == "range"
    assert asm.target_margin_error(20) is None
    assert asm.target_margin_error(0) == "range"


# ----------------------------------------------------------------------
# ASM-3: the year and the champions
# ----------------------------------------------------------------------
def test_asm3_year_is_the_average_of_approved_months():
    months = [
        {"sales": 100.0, "collection": 50.0, "shipment": None, "total": 80.0},
        {"sales": 50.0, "collection": 100.0, "shipment": 100.0, "total": 61.0},
    ]
    year = asm.year_scores(months)
    assert year["sales"] == 75.0
    assert year["collection"] == 75.0
    # measured in one month only: that month's score
    assert year["shipment"] == 100.0
    assert year["profit"] is None
    assert year["weighted"] == 70.5
    assert asm.year_scores([])["weighted"] is None


def test_asm3_ranking_signed_then_average_score_ties_share_the_rank():
    ranks = asm.ranking(
        [
            ("li", 500000.0, 82.0),
            ("zhang", 650000.0, 70.0),
            ("wang", 500000.0, 82.0),
            ("zhao", 500000.0, 90.0),
            ("sun", 0.0, 0.0),
        ]
    )
    assert ranks == {"zhang": 1, "zhao": 2, "li": 3, "wang": 3, "sun": 5}
    # equal first: champions together
    assert asm.ranking([("a", 10.0, 80.0), ("b", 10.0, 80.0)]) == {"a": 1, "b": 1}
