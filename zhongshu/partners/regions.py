"""Provinces of China (GB/T 2260 codes) with their region and the north/south
split, read once from the shipped ``data/regions_cn.csv``."""

from __future__ import annotations

import csv
import dataclasses
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "regions_cn.csv"


@dataclasses.dataclass(frozen=True, slots=True)
class Province:
    code: str  # adcode, e.g. "440000"
    name: str  # 广东省
    short_name: str  # 广东
    name_en: str
    region: str  # 华南 (seven-region division)
    region_en: str
    north_south: str  # "north" | "south"


@cache
def provinces() -> dict[str, Province]:
    with DATA.open(encoding="utf-8") as f:
        return {
            row["adcode"]: Province(
                code=row["adcode"],
                name=row["name_zh"],
                short_name=row["name_short_zh"],
                name_en=row["name_en"],
                region=row["region7_zh"],
                region_en=row["region7_en"],
                north_south=row["north_south_en"],
            )
            for row in csv.DictReader(f)
        }


def province(code: str) -> Province | None:
    return provinces().get(code)


def province_name(code: str) -> str:
    """The province's full name, the code itself when unknown, or ""."""
    if not code:
        return ""
    found = province(code)
    return found.name if found is not None else code


def find_province(text: str) -> Province | None:
    """A province by code, full or short Chinese name, or English name."""
    text = text.strip()
    for item in provinces().values():
        if text in (item.code, item.name, item.short_name) or (
            text.lower() == item.name_en.lower()
        ):
            return item
    return None
