"""Countries as news names them: the country's names, its capital and its adjective.

Actor stances read it to leave out pairs that are one side twice over: a country and its own capital ("Teheran"
and "Iran" are one government in foreign news), or a person the article calls by the country's adjective and
that country ("de Amerikaanse president Trump" does not take a stance toward "de Verenigde Staten"). The
annotation keeps them as separate actors; no reader codes a stance between them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    names: frozenset[str]
    capitals: frozenset[str]
    adjective: str


def _country(names: str, capitals: str, adjective: str) -> Country:
    return Country(frozenset(names.split("|")), frozenset(capitals.split("|")), adjective)


COUNTRIES: tuple[Country, ...] = (
    _country("Verenigde Staten|VS|Amerika|USA", "Washington", "amerikaanse"),
    _country("Rusland", "Moskou|Kremlin", "russische"),
    _country("China", "Peking|Beijing", "chinese"),
    _country("Iran", "Teheran", "iraanse"),
    _country("Turkije", "Ankara", "turkse"),
    _country("Israël", "Jeruzalem", "israëlische"),
    _country("Duitsland", "Berlijn", "duitse"),
    _country("Frankrijk", "Parijs|Elysée", "franse"),
    _country("Verenigd Koninkrijk|Groot-Brittannië|Engeland", "Londen", "britse"),
    _country("Nederland", "Den Haag|Amsterdam", "nederlandse"),
    _country("België", "Brussel", "belgische"),
    _country("Italië", "Rome", "italiaanse"),
    _country("Spanje", "Madrid", "spaanse"),
    _country("Oekraïne", "Kiev|Kyiv", "oekraïense"),
    _country("Venezuela", "Caracas", "venezolaanse"),
    _country("Noord-Korea", "Pyongyang", "noord-koreaanse"),
    _country("Zuid-Korea", "Seoul", "zuid-koreaanse"),
    _country("Japan", "Tokio|Tokyo", "japanse"),
    _country("Syrië", "Damascus", "syrische"),
    _country("Saudi-Arabië", "Riyad|Riyadh", "saudische"),
    _country("Brazilië", "Brasilia", "braziliaanse"),
    _country("Polen", "Warschau", "poolse"),
    _country("Hongarije", "Boedapest", "hongaarse"),
    _country("Egypte", "Caïro", "egyptische"),
    _country("Irak", "Bagdad", "iraakse"),
    _country("Afghanistan", "Kabul", "afghaanse"),
    _country("Pakistan", "Islamabad", "pakistaanse"),
    _country("India", "New Delhi|Delhi", "indiase"),
    _country("Mexico", "Mexico-Stad", "mexicaanse"),
    _country("Canada", "Ottawa", "canadese"),
)

# Names in the table that are buildings standing for a government, not places a tagger should type LOC.
_NOT_PLACES = frozenset({"Kremlin", "Elysée"})
# Every country name and capital that is a place, for the entity refinement's ``known_places``.
PLACE_NAMES: tuple[str, ...] = tuple(
    sorted(name for country in COUNTRIES for name in country.names | country.capitals if name not in _NOT_PLACES)
)
_BY_NAME = {name: country for country in COUNTRIES for name in country.names | country.capitals}
_BY_ADJECTIVE = {country.adjective: country for country in COUNTRIES}


def country_named(name: str) -> Country | None:
    """The country ``name`` is (a name or its capital), or None."""
    return _BY_NAME.get(name)


def country_of_adjective(word: str) -> Country | None:
    """The country of an adjective ("Amerikaanse", any case), or None."""
    return _BY_ADJECTIVE.get(word.casefold())
