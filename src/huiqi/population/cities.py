"""The cities the synthetic registry can be generated for, with their county-level divisions.

Codes and names are those of 《中华人民共和国县以上行政区划代码》 (民政部, 2025): 长春市 has seven
districts, 农安县 and the county-level cities 榆树市, 德惠市 and 公主岭市 (transferred from 四平市 in
2020, code 220184). The development zones (长春经济技术开发区, 净月, 高新, 汽车开发区) have codes
220171–220174 only in the statistical division codes (统计用区划代码), not in the administrative
list; here their enterprises belong to the county-level division. The weights (share of the
city's enterprises) and the rural flag (more agriculture, fewer services) are illustrative,
not statistics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .errors import UnknownCity


@dataclass(frozen=True)
class District:
    """A county-level division: ``220102`` 南关区."""

    code: str
    name: str
    weight: float
    rural: bool = False


@dataclass(frozen=True)
class City:
    """A prefecture-level city and its county-level divisions."""

    code: str
    name: str
    province: str
    districts: tuple[District, ...]

    @property
    def short(self) -> str:
        """长春 for 长春市."""
        return self.name.removesuffix("市")

    def prefix(self, district: District) -> str:
        """The place name an enterprise of ``district`` may carry: 农安县, 长春市南关区."""
        if district.name.endswith(("县", "市")):
            return district.name
        return self.name + district.name


_CITIES = (
    City(
        "220100",
        "长春市",
        "吉林省",
        (
            District("220102", "南关区", 0.14),
            District("220103", "宽城区", 0.10),
            District("220104", "朝阳区", 0.19),
            District("220105", "二道区", 0.12),
            District("220106", "绿园区", 0.12),
            District("220112", "双阳区", 0.04, rural=True),
            District("220113", "九台区", 0.06, rural=True),
            District("220122", "农安县", 0.06, rural=True),
            District("220182", "榆树市", 0.05, rural=True),
            District("220183", "德惠市", 0.05, rural=True),
            District("220184", "公主岭市", 0.07, rural=True),
        ),
    ),
    City(
        "440300",
        "深圳市",
        "广东省",
        (
            District("440303", "罗湖区", 0.08),
            District("440304", "福田区", 0.15),
            District("440305", "南山区", 0.16),
            District("440306", "宝安区", 0.20),
            District("440307", "龙岗区", 0.18),
            District("440308", "盐田区", 0.02),
            District("440309", "龙华区", 0.12),
            District("440310", "坪山区", 0.04),
            District("440311", "光明区", 0.05),
        ),
    ),
)

CITIES: Mapping[str, City] = MappingProxyType({c.code: c for c in _CITIES})


def city(code: str) -> City:
    """The city with this 行政区划代码, or :class:`UnknownCity` listing those available."""
    found = CITIES.get(code)
    if found is None:
        listed = "、".join(f"{c.code} {c.name}" for c in CITIES.values())
        raise UnknownCity(f"没有行政区划代码为“{code}”的城市的区县数据，可用：{listed}")
    return found
