from decimal import Decimal

import pytest

from finkg.builder.numbers import chinese_date, is_none_mark, parse_amount, parse_number, split_numbers


@pytest.mark.parametrize(
    "text, value, percent",
    [("26,989,261", "26989261", False), ("(9,616,545)", "-9616545", False), ("1.75%", "1.75", True),
     ("-34.68%", "-34.68", True), ("１２，３４５", "12345", False), ("（1,234）", "-1234", False), ("0.04", "0.04", False)],
)
def test_parse_number(text, value, percent):
    n = parse_number(text)
    assert n is not None and n.value == Decimal(value) and n.percent is percent


def test_glued_numbers_are_split():
    assert [n.printed for n in split_numbers("33,863,453438,747,807")] == ["33,863,453", "438,747,807"]
    assert [n.printed for n in split_numbers("7,881,7821.75%")] == ["7,881,782", "1.75%"]
    assert [n.printed for n in split_numbers("5.87%19,880,616")] == ["5.87%", "19,880,616"]


def test_a_page_number_glued_to_a_percentage_is_cut_by_the_column_precision():
    assert [n.printed for n in split_numbers("2.1538一致行动人", decimals=2)] == ["2.15", "38"]


def test_dates_and_amounts():
    assert chinese_date("2014年12月16日一、基本情况") == "2014-12-16"
    assert chinese_date("2021年4月－换届止") == "2021-04"
    assert chinese_date("无") is None
    assert parse_amount("269.89亿元") == (Decimal("26989000000.00"), "CNY")
    assert is_none_mark("–") and is_none_mark("无") and not is_none_mark("0")


def test_not_numbers():
    assert parse_number("abc") is None
    assert split_numbers("无") == []
