"""QTA-1, QTA-3, QTA-5 rules of policy/targets.py, without Odoo."""

import pytest

from policy import targets as qta


def test_qta3_even_split_sums_to_the_cent():
    parts = qta.even_split(1000.00)
    assert len(parts) == 12
    assert parts[:4] == [83.34] * 4 and parts[4:] == [83.33] * 8
    assert qta.split_error(parts, 1000.00) is None
    assert qta.even_split(1200) == [100.0] * 12
    assert qta.split_error(qta.even_split(0.05), 0.05) is None


def test_qta3_split_check():
    assert qta.split_error([500, 500.01], 1000) == -0.01
    assert qta.split_error([500, 499.99], 1000) == 0.01
    assert qta.split_error([100.10, 899.90], 1000) is None


@pytest.mark.parametrize(
    ("low", "likely", "high", "error"),
    [
        (1, 2, 3, None),
        (2, 2, 2, None),
        (3, 2, 4, "order"),
        (1, 5, 4, "order"),
        (-1, 1, 2, "negative"),
    ],
)
def test_qta1_forecast(low, likely, high, error):
    assert qta.forecast_error(low, likely, high) == error


@pytest.mark.parametrize(
    ("actual", "target", "grade"),
    [
        (120, 100, "S"),
        (119.99, 100, "A"),
        (100, 100, "A"),
        (99.99, 100, "B"),
        (80, 100, "B"),
        (79.99, 100, "C"),
        (0, 100, "C"),
    ],
)
def test_qta5_rating_boundaries(actual, target, grade):
    assert qta.rating(qta.attainment(actual, target)) == grade


def test_qta5_changed_thresholds_and_no_target():
    assert qta.rating(1.1, (("S", 1.1), ("A", 0.9), ("B", 0.7))) == "S"
    assert qta.rating(0.69, (("S", 1.1), ("A", 0.9), ("B", 0.7))) == "C"
    assert qta.attainment(50, 0) is None
    assert qta.rating(None) is False
