"""TER-2, TER-3 rules of policy/territory.py, without Odoo."""

import pytest

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


# ----------------------------------------------------------------------
# TER-1, TER-2: Chinese addresses
# ----------------------------------------------------------------------
GX, SH = 20, 21
GUANGXI = {
    "id": 10,
    "depth": 1,
    "country_id": CN,
    "state_ids": [GX],
    "state_names": ["广西壮族自治区"],
}
NANNING = {**GUANGXI, "id": 11, "depth": 2, "city_names": ["南宁", "桂林市"]}
ZJ_CN = {
    "id": 12,
    "depth": 1,
    "country_id": CN,
    "state_ids": [ZJ],
    "state_names": ["浙江省"],
    "city_names": ter.split_list("杭州市、宁波"),
}
SHANGHAI = {"id": 13, "depth": 1, "country_id": CN, "city_names": ["上海"]}
CHINESE = [REGION, GUANGXI, NANNING, ZJ_CN, SHANGHAI]


def test_ter1_split_list_chinese_separators():
    assert ter.split_list("杭州，宁波、温州；嘉兴\u3000绍兴") == [
        "杭州",
        "宁波",
        "温州",
        "嘉兴",
        "绍兴",
    ]
    assert ter.split_list("Hangzhou;Ningbo Wenzhou") == ["Hangzhou", "Ningbo Wenzhou"]
    assert ter.split_list("310 311;312，313、314\u3000315") == [
        "310",
        "311",
        "312",
        "313",
        "314",
        "315",
    ]
    assert ter.split_list("南宁 桂林") == ["南宁", "桂林"]
    # a space inside a Latin name is part of it
    assert ter.split_list("Hong Kong, 上海") == ["Hong Kong", "上海"]
    assert ter.split_list("，、；\u3000 ,;") == []


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("杭州市", "杭州"),
        ("杭州", "杭州"),
        (" 上海市\u3000", "上海"),
        ("西湖区", "西湖区"),  # 区 is part of the name
        ("桐庐县", "桐庐县"),  # and so is 县
        ("沙市", "沙市"),  # two characters at least are left
        ("市", "市"),
        ("Hangzhou", "hangzhou"),
        ("ＨＡＮＧＺＨＯＵ", "hangzhou"),  # full-width letters
        ("", ""),
        (None, ""),
    ],
)
def test_ter2_city_key(name, key):
    assert ter.place_key(name) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("广西壮族自治区", "广西"),
        ("广西", "广西"),
        ("宁夏回族自治区", "宁夏"),
        ("新疆维吾尔自治区", "新疆"),
        ("内蒙古自治区", "内蒙古"),
        ("西藏自治区", "西藏"),
        ("浙江省", "浙江"),
        ("上海市", "上海"),
        ("香港特别行政区", "香港"),
        ("Zhejiang", "zhejiang"),
    ],
)
def test_ter2_province_key(name, key):
    assert ter.place_key(name, "state") == key


def test_ter2_city_only_drops_shi():
    # at city level, province suffixes stay
    assert ter.place_key("广西壮族自治区") == "广西壮族自治区"
    assert ter.place_key("浙江省") == "浙江省"


def test_ter2_chinese_cities_match_with_or_without_shi():
    # Guangxi: 南宁市 against 南宁, 桂林 against 桂林市
    assert ter.best_territory(CHINESE, _addr(state_id=GX, city="南宁市")) == 11
    assert ter.best_territory(CHINESE, _addr(state_id=GX, city="桂林")) == 11
    assert ter.best_territory(CHINESE, _addr(state_id=GX, city="柳州市")) == 10
    # Zhejiang: the list was written 杭州市、宁波
    assert ter.best_territory(CHINESE, _addr(state_id=ZJ, city="杭州")) == 12
    assert ter.best_territory(CHINESE, _addr(state_id=ZJ, city="宁波市")) == 12
    assert ter.best_territory(CHINESE, _addr(state_id=ZJ, city="温州市")) == 1
    # Shanghai: 上海市 against 上海
    assert ter.best_territory(CHINESE, _addr(city="上海市")) == 13
    assert ter.best_territory(CHINESE, _addr(city="上海")) == 13


def test_ter2_district_is_not_its_city():
    # 区/县 are not stripped: 西湖区 is no city of the list, 西湖 no district
    west_lake = {"id": 14, "depth": 3, "country_id": CN, "city_names": ["西湖区"]}
    assert ter.best_territory([REGION, west_lake], _addr(city="西湖")) == 1
    assert ter.best_territory([REGION, west_lake], _addr(city="西湖区")) == 14


def test_ter2_state_by_record_or_by_name():
    # another record for Guangxi, named the short way, matches by name
    assert ter.match_score(GUANGXI, _addr(state_id=99, state_name="广西")) == (ter._STATE, 0)
    assert ter.match_score(GUANGXI, _addr(state_id=99, state_name="广西壮族自治区 ")) == (
        ter._STATE,
        0,
    )
    assert ter.match_score(GUANGXI, _addr(state_id=GX)) == (ter._STATE, 0)
    # another province, or no name at all, does not
    assert ter.match_score(GUANGXI, _addr(state_id=ZJ, state_name="浙江省")) is None
    assert ter.match_score(GUANGXI, _addr(state_id=99, state_name="")) is None
    assert ter.match_score(GUANGXI, _addr(state_id=None)) is None


def test_ter2_full_width_zip():
    zj_zip = {"id": 15, "depth": 2, "country_id": CN, "zip_prefixes": ter.split_list("３１０，311")}
    assert ter.match_score(zj_zip, _addr(zip="310012")) == (ter._ZIP, 3)
    assert ter.match_score(zj_zip, _addr(zip="３１１ ２００")) == (ter._ZIP, 3)
    assert ter.match_score(zj_zip, _addr(zip="312000")) is None
    assert ter.zip_key(" 310\u3000012 ") == "310012"
