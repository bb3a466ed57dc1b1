"""TER-2, TER-3 rules of policy/territory.py, without Odoo."""

from policy import territory as ter

CN, ZJ, JS = 1, 10, 11
REGION = {"id": 1, "depth": 0, "country_id": CN}
ZHEJIANG = {"id": 2, "depth": 1, "country_id": CN, "state_ids": [ZJ]}
HANGZHOU = {"id": 3, "depth": 2, "country_id": CN, "state_ids": [ZJ], "city_names": ["Hangzhou"]}
ZIP_310 = {"id": 4, "depth": 2, "country_id": CN, "zip_prefixes": ["310"]}
ZIP_3100 = {"id": 5, "depth": 3, "country_id": CN, "zip_prefixes": ["3100"]}
ALL = [REGION, ZHEJIANG, HANGZHOU, ZIP_310]


def _addr(**kw):
    return {"country_id": CN, "state_id": None, "city": "", "zip": "", **kw}


def test_ter2_zip_prefix_beats_city_beats_state_beats_country():
    assert ter.best_territory(ALL, _addr(state_id=ZJ, city="Hangzhou", zip="310012")) == 4
    assert ter.best_territory(ALL, _addr(state_id=ZJ, city="hangzhou ", zip="999")) == 3
    assert ter.best_territory(ALL, _addr(state_id=ZJ, city="Ningbo")) == 2
    assert ter.best_territory(ALL, _addr(state_id=JS, city="Suzhou")) == 1


def test_ter2_longer_zip_prefix_wins():
    assert ter.best_territory(ALL + [ZIP_3100], _addr(zip="310012")) == 5
    assert ter.best_territory(ALL + [ZIP_3100], _addr(zip="3109")) == 4


def test_ter2_no_match():
    assert ter.best_territory(ALL, _addr(country_id=99)) is None
    assert ter.best_territory([], _addr()) is None
    assert ter.best_territory([{"id": 9}], _addr()) is None  # a territory with no criteria


def test_ter2_every_set_criterion_must_hold():
    # a Hangzhou city name in another province is not Hangzhou territory
    assert ter.match_score(HANGZHOU, _addr(state_id=JS, city="Hangzhou")) is None


def test_split_list():
    assert ter.split_list("Hangzhou, Ningbo\nWenzhou,,") == ["Hangzhou", "Ningbo", "Wenzhou"]
    assert ter.split_list(False) == []


def test_ter3_out_of_territory():
    assert not ter.is_out_of_territory(3, [2, 3])
    assert ter.is_out_of_territory(4, [2, 3])
    assert not ter.is_out_of_territory(3, [1, 2, 3])
    assert ter.is_out_of_territory(None, [1])
    assert ter.is_out_of_territory(3, [])
