"""The reference tables of data/reference/ (etl/reference.py): the 2025 province merger is whole."""

from __future__ import annotations

from datetime import date

from etl.gazetteer import PROVINCES_2024, PROVINCES_2025
from etl.reference import load_reference
from tests.conftest import ROOT

RESOLUTION = "Nghị quyết 202/2025/QH15"


def admin_units():
    return load_reference(ROOT / "data" / "reference")["admin_units"]


def test_every_former_province_maps_once_to_one_of_todays_34():
    units = admin_units()
    assert sorted(units["old_province"]) == sorted(PROVINCES_2024)  # all 63, each once, spelled as reports are read
    assert set(units["new_province"]) == set(PROVINCES_2025) and len(PROVINCES_2025) == 34  # every unit reached


def test_the_merger_follows_the_resolution():
    mapped = dict(zip(admin_units()["old_province"], admin_units()["new_province"], strict=True))
    assert mapped["Bắc Giang"] == "Bắc Ninh" and mapped["Trà Vinh"] == "Vĩnh Long"
    assert mapped["Bà Rịa - Vũng Tàu"] == mapped["Bình Dương"] == "TP. Hồ Chí Minh"
    assert mapped["Hòa Bình"] == mapped["Vĩnh Phúc"] == "Phú Thọ" and mapped["Thừa Thiên Huế"] == "Huế"
    assert mapped["Hà Nội"] == "Hà Nội" and mapped["Kon Tum"] == "Quảng Ngãi"


def test_each_row_cites_the_resolution_and_its_date():
    raw = (ROOT / "data" / "reference" / "admin_units_2025.csv").read_text(encoding="utf-8").splitlines()
    assert raw[0] == "old_province,new_province,effective_date,note,source"  # the loader's columns first
    assert all(RESOLUTION in line for line in raw[1:])
    merged = admin_units()[admin_units()["old_province"] != "Thừa Thiên Huế"]
    assert set(merged["effective_date"]) == {date(2025, 7, 1)}
