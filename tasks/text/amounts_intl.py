"""Amounts in documents not in English: numbers written the language's way, words kept as written.

Called by tasks.text.amounts.extract_amounts for any language but English (and unknown):

* numbers: in French, Spanish, German and the other decimal-comma languages a comma is
  the decimal mark and a space (also no-break and narrow no-break), a dot or an
  apostrophe groups thousands: `1 000` = 1000, `12.000` = 12000, `3,5` = 3.5,
  `1'500` = 1500; a dot followed by other than three digits is not a number. Other
  languages read numbers as English does (`1,000.5`);
* money: a currency sign or code before or after the number (`2,50 €`, `250 $`,
  `CHF 3,5 millions`, `US$ 12`) or a currency word after it, across `de`/`d'`
  (`1,2 milliard d'euros`, `250 millions de dollars`, `3 millones de euros`); scale words
  `mille, million, milliard, billion` (10^12 in French) and `mil, millón, mil millones,
  millardo, billón` (10^12 in Spanish);
* percent: `3,5 %`, `12 pour cent`, `12 por ciento`;
* quantity: a number and a unit (`40 tonnes de céréales`, `500 kilómetros`);
* count (French and Spanish): a number and the plural noun right after it (ending in
  -s or -x), kept as written: `282 000 personnes` → noun `personnes`. No singularization:
  English rules (inflect) are never applied to other languages.

Numbers inside entities (names, places) and bare years are skipped, as in English.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from tasks.text.amounts import CURRENCY_SIGNS, SKIP_LABELS, YEAR, Amount, _amount, _inside, _overlaps

DECIMAL_COMMA = frozenset("fr es de it pt nl ca ro pl cs sk sl hr sr bs bg ru uk be lt lv et fi sv da no nb nn "
                          "is hu tr el id az kk".split())
SCALES = {
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "md": 1e9,
           "mds": 1e9, "billion": 1e12, "billions": 1e12},
    "de": {"tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "milliarde": 1e9,
           "milliarden": 1e9, "mrd": 1e9, "billion": 1e12, "billionen": 1e12},
    "es": {"mil": 1e3, "millón": 1e6, "millones": 1e6, "mil millones": 1e9, "millardo": 1e9, "millardos": 1e9,
           "billón": 1e12, "billones": 1e12},
}
CURRENCY_WORDS = {
    "fr": {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "dollars américains": "USD",
           "dollars canadiens": "CAD", "dollars australiens": "AUD", "franc": "CHF", "francs": "CHF",
           "francs suisses": "CHF", "livre sterling": "GBP", "livres sterling": "GBP", "yen": "JPY", "yens": "JPY",
           "yuan": "CNY", "yuans": "CNY", "rouble": "RUB", "roubles": "RUB", "hryvnia": "UAH", "hryvnias": "UAH"},
    "de": {"euro": "EUR", "dollar": "USD", "us-dollar": "USD", "franken": "CHF", "pfund": "GBP", "yen": "JPY",
           "yuan": "CNY", "rubel": "RUB"},
    "es": {"euro": "EUR", "euros": "EUR", "dólar": "USD", "dólares": "USD", "libra": "GBP", "libras": "GBP",
           "libras esterlinas": "GBP", "yen": "JPY", "yenes": "JPY", "yuan": "CNY", "yuanes": "CNY",
           "rublo": "RUB", "rublos": "RUB", "franco suizo": "CHF", "francos suizos": "CHF"},
}
UNITS = {
    "fr": {"km": "km", "kilomètre": "km", "kilomètres": "km", "km2": "km2", "km²": "km2",
           "kilomètres carrés": "km2", "mètre": "m", "mètres": "m", "tonne": "t", "tonnes": "t", "kg": "kg",
           "kilo": "kg", "kilos": "kg", "kilogramme": "kg", "kilogrammes": "kg", "litre": "l", "litres": "l",
           "hectare": "ha", "hectares": "ha", "baril": "bbl", "barils": "bbl", "mégawatts": "MW", "MW": "MW"},
    "es": {"km": "km", "kilómetro": "km", "kilómetros": "km", "km2": "km2", "km²": "km2",
           "kilómetros cuadrados": "km2", "metro": "m", "metros": "m", "tonelada": "t", "toneladas": "t",
           "kg": "kg", "kilo": "kg", "kilos": "kg", "kilogramos": "kg", "litro": "l", "litros": "l",
           "hectárea": "ha", "hectáreas": "ha", "barril": "bbl", "barriles": "bbl", "megavatios": "MW", "MW": "MW"},
}
NUMBER_WORDS = {
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
           "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
           "cent": 100, "mille": 1000},
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
           "diez": 10, "once": 11, "doce": 12, "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40,
           "cincuenta": 50, "cien": 100, "mil": 1000},
}
# Words after a number that are not what it counts: months, times, function words (ages stay counts: `20 ans`).
NOT_COUNTED = {
    "fr": set("janvier février mars avril mai juin juillet août septembre octobre novembre décembre heures h "
              "fois autres plus moins dans sous vers les des mes tes ses nos vos leurs ces aux tous toutes très puis "
              "depuis alors après selon chez jusqu'alors parmi sans contre quarts tiers".split()),  # fractions too
    "es": set("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre horas "
              "veces otros otras más menos los las unos unas sus nos tras desde entonces pues mientras antes "
              "después todos todas según durante contra cuartos tercios".split()),
}
ARTICLES = frozenset("la le les l' l’ leur leurs un une son sa ses cette ce ces el los las lo su sus este esta".split())
PERCENT = {
    "fr": re.compile(r"\s?(?:%|pour\s?cent\b|points?\s+de\s+pourcentage\b)", re.I),
    "de": re.compile(r"\s?(?:%|prozent\b)", re.I),
    "es": re.compile(r"\s?(?:%|por\s?ciento\b|puntos?\s+porcentuales?\b)", re.I),
}
ANY_PERCENT = re.compile(r"\s?%")
SIGNS_AFTER = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "CHF": "CHF", "EUR": "EUR", "USD": "USD",
               "GBP": "GBP", "CAD": "CAD", "$ CA": "CAD", "$ US": "USD", "$US": "USD", "Fr.": "CHF", "fr.": "CHF"}
_SPACE = "[ \u00a0\u202f\u2009]"
_DIGITS_COMMA = rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?|\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d{{1,3}}(?:'\d{{3}})+|\d+(?:,\d+)?"
_DIGITS_DOT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD = r"[^\W\d_][\w’'\-]*"


def _alternatives(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _patterns(lang: str) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    digits = _DIGITS_COMMA if lang in DECIMAL_COMMA else _DIGITS_DOT
    scales = _alternatives(SCALES.get(lang, {}))
    scale = rf"(?:{_SPACE}(?P<scale>{scales})\b)?" if scales else "(?P<scale>(?!))?"
    words = _alternatives(NUMBER_WORDS.get(lang, {}))
    wscale = scale.replace("?P<scale>", "?P<wscale>")
    word = rf"|\b(?P<word>{words})\b(?![\-’']){wscale}" if words else ""
    signs = _alternatives(CURRENCY_SIGNS)
    before = re.compile(rf"(?<![\w$€£¥₹₩₽])(?P<sign>{signs}){_SPACE}?(?P<num>{digits}){scale}")
    number = re.compile(rf"(?<![\w$€£¥₹₩₽.,\-/'])(?P<num>{digits})(?![\w\-/]|[.,']\d){scale}{word}", re.I)
    after = re.compile(rf"{_SPACE}?(?P<sign>{_alternatives(SIGNS_AFTER)})(?![\w$])")
    return before, number, after


_COMPILED: dict[str, tuple] = {}


def _number(digits: str, lang: str) -> float:
    digits = re.sub(_SPACE + "|'", "", digits)
    if lang in DECIMAL_COMMA:
        return float(digits.replace(".", "").replace(",", "."))
    return float(digits.replace(",", ""))


def extract_amounts(
    text: str, sentences: Sequence[tuple[int, int]], entities: Sequence[tuple[int, int, str]], lang: str
) -> list[Amount]:
    if not sentences:
        return []
    if lang not in _COMPILED:
        _COMPILED[lang] = _patterns(lang)
    before, number, after = _COMPILED[lang]
    scales = SCALES.get(lang, {})
    skip = sorted((s, e) for s, e, label in entities if label in SKIP_LABELS or label == "MISC")
    starts = [s for s, _ in sentences]
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for m in before.finditer(text):
        if _inside(skip, m.start("num"), m.end("num")):
            continue
        value = _number(m.group("num"), lang) * scales.get(_norm(m.group("scale")), 1)
        found.append(_amount(text, starts, m.start(), m.end(), value, "money", CURRENCY_SIGNS[m.group("sign")], None))
        bisect.insort(taken, (m.start(), m.end()))
    for m in number.finditer(text):
        start, end = m.span()
        if _overlaps(taken, start, end) or _inside(skip, start, end):
            continue
        word = m.groupdict().get("word")
        if word:
            value = float(NUMBER_WORDS[lang][m.group("word").lower()]) * scales.get(_norm(m.group("wscale")), 1)
        else:
            if not m.group("scale") and YEAR.fullmatch(m.group("num")):
                continue  # a bare year
            value = _number(m.group("num"), lang) * scales.get(_norm(m.group("scale")), 1)
        bare_word = bool(word) and not m.group("wscale")  # `trois` alone, not `trois millions`
        scaled = bool(m.group("scale") or word and m.group("wscale"))
        amount = _classify(text, starts, start, end, value, lang, after, bare_word, scaled)
        if amount is not None:
            found.append(amount)
            bisect.insort(taken, (amount.start, amount.end))
    return sorted(found, key=lambda a: (a.start, a.end))


def _norm(scale: str | None) -> str:
    return re.sub(r"\s+", " ", scale).lower() if scale else ""


def _classify(text, starts, start, end, value, lang, after, is_word, scaled):
    if not is_word:
        sign = after.match(text, end)
        if sign:
            return _amount(text, starts, start, sign.end(), value, "money", SIGNS_AFTER[sign.group("sign")], None)
        percent = PERCENT.get(lang, ANY_PERCENT).match(text, end)
        if percent:
            return _amount(text, starts, start, percent.end(), value, "percent", "%", None)
    words = _phrase_after(text, end)
    if words is None:
        return None
    (first_start, first_end, first), joined = words
    currency = _longest(text, joined, CURRENCY_WORDS.get(lang, {}))
    if currency and not is_word:
        return _amount(text, starts, start, currency[0], value, "money", currency[1], None)
    if joined != first_start:  # `de`/`d'` joins a currency word or a scaled count (`deux millions de personnes`)
        if not scaled:
            return None
        m = re.compile(_WORD).match(text, joined)
        first_start, first_end, first = joined, m.end(), m.group()
    unit = _longest(text, first_start, UNITS.get(lang, {}))
    if unit:
        return _amount(text, starts, start, unit[0], value, "quantity", unit[1], _of_noun(text, unit[0], lang))
    lower = first.lower()
    if lang not in NOT_COUNTED or lower in NOT_COUNTED[lang] or not first.islower() or len(first) < 3:
        return None
    if not lower.endswith(("s", "x")) or (is_word and value == 0):
        return None
    return _amount(text, starts, start, first_end, value, "count", None, lower)


_NEXT = re.compile(rf"[ \u00a0\u202f\u2009]+(?:(?:de|d['’]|del?)[ \u00a0\u202f\u2009]*)?({_WORD})")


def _phrase_after(text: str, pos: int):
    """((start, end, word) of the word right after pos, start of the word after `de`/`d'` if any)."""
    m = _NEXT.match(text, pos)
    if not m:
        return None
    plain = re.match(rf"[ \u00a0\u202f\u2009]+({_WORD})", text[pos:])
    if plain is None:
        return None
    first = (pos + plain.start(1), pos + plain.end(1), plain.group(1))
    return first, m.start(1)


def _longest(text: str, pos: int, table: dict[str, str]) -> tuple[int, str] | None:
    """(end, value) of the longest entry of table written at pos (words, case-insensitive)."""
    for key in sorted(table, key=len, reverse=True):
        pattern = re.escape(key).replace(r"\ ", r"\s+")
        m = re.compile(pattern + r"(?![\w/])", re.I).match(text, pos)  # not km/h
        if m:
            return m.end(), table[key]
    return None


def _of_noun(text: str, pos: int, lang: str) -> str | None:
    m = re.match(rf"\s+(?:de|d['’]|del?)\s*({_WORD})", text[pos : pos + 40])
    if not m or not m.group(1).islower() or m.group(1) in ARTICLES or m.group(1) in NOT_COUNTED.get(lang, ()):
        return None  # `10 km de Moscou`, `40 tonnes de la récolte`
    return m.group(1)
