"""Reference data: the countries of the Americas, their names and demonyms in English and
Spanish.

The graph's own names are the core of linking; this table only adds what a country's name
does not give by rule: irregular demonyms ("Salvadoran", "guatemalteco", "estadounidense",
"hondureño") for a country the graph has (matched by its ISO 3166-1 code), and the kind of
a name the graph lacks ("Peru" in an article before the graph has it is a country, not a
place).
"""

from __future__ import annotations

from dataclasses import dataclass

from timeline.model.text import fold

__all__ = [
    "AMBIGUOUS_DEMONYMS",
    "AMERICAS",
    "CountryNames",
    "country_code",
    "demonyms_of",
    "names_of",
]


@dataclass(frozen=True, slots=True)
class CountryNames:
    code: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]


def _inflected(english: str, spanish: str) -> tuple[str, ...]:
    """A demonym's forms: English singular and plural; Spanish masculine, feminine and
    their plurals ("salvadoreño": salvadoreña, salvadoreños, salvadoreñas)."""
    forms = [english, english if english.endswith("ese") else english + "s"]
    if spanish.endswith("o"):
        forms += [spanish, spanish[:-1] + "a", spanish + "s", spanish[:-1] + "as"]
    elif spanish.endswith("és"):
        forms += [spanish, spanish[:-2] + "esa", spanish[:-2] + "eses"]
    else:
        forms += [spanish, spanish + "s"]
    return tuple(forms)


def _c(code: str, names: str, english: str, spanish: str) -> CountryNames:
    return CountryNames(code, tuple(names.split("|")), _inflected(english, spanish))


#: ISO code, English and Spanish names, the English demonym, the Spanish (masculine) one.
AMERICAS: tuple[CountryNames, ...] = (
    _c("AG", "Antigua and Barbuda|Antigua y Barbuda", "Antiguan", "antiguano"),
    _c("AR", "Argentina", "Argentine", "argentino"),
    _c("BS", "Bahamas|The Bahamas", "Bahamian", "bahameño"),
    _c("BB", "Barbados", "Barbadian", "barbadense"),
    _c("BZ", "Belize|Belice", "Belizean", "beliceño"),
    _c("BO", "Bolivia", "Bolivian", "boliviano"),
    _c("BR", "Brazil|Brasil", "Brazilian", "brasileño"),
    _c("CA", "Canada|Canadá", "Canadian", "canadiense"),
    _c("CL", "Chile", "Chilean", "chileno"),
    _c("CO", "Colombia", "Colombian", "colombiano"),
    _c("CR", "Costa Rica", "Costa Rican", "costarricense"),
    _c("CU", "Cuba", "Cuban", "cubano"),
    _c("DM", "Dominica", "Dominican", "dominiqués"),
    _c("DO", "Dominican Republic|República Dominicana", "Dominican", "dominicano"),
    _c("EC", "Ecuador", "Ecuadorian", "ecuatoriano"),
    _c("SV", "El Salvador", "Salvadoran", "salvadoreño"),
    _c("GD", "Grenada|Granada", "Grenadian", "granadino"),
    _c("GT", "Guatemala", "Guatemalan", "guatemalteco"),
    _c("GY", "Guyana", "Guyanese", "guyanés"),
    _c("HT", "Haiti|Haití", "Haitian", "haitiano"),
    _c("HN", "Honduras", "Honduran", "hondureño"),
    _c("JM", "Jamaica", "Jamaican", "jamaicano"),
    _c("MX", "Mexico|México", "Mexican", "mexicano"),
    _c("NI", "Nicaragua", "Nicaraguan", "nicaragüense"),
    _c("PA", "Panama|Panamá", "Panamanian", "panameño"),
    _c("PY", "Paraguay", "Paraguayan", "paraguayo"),
    _c("PE", "Peru|Perú", "Peruvian", "peruano"),
    _c("KN", "Saint Kitts and Nevis|San Cristóbal y Nieves", "Kittitian", "sancristobaleño"),
    _c("LC", "Saint Lucia|Santa Lucía", "Saint Lucian", "santalucense"),
    _c("VC", "Saint Vincent and the Grenadines|San Vicente y las Granadinas", "Vincentian",
       "sanvicentino"),
    _c("SR", "Suriname|Surinam", "Surinamese", "surinamés"),
    _c("TT", "Trinidad and Tobago|Trinidad y Tobago", "Trinidadian", "trinitense"),
    _c("US", "United States|Estados Unidos", "American", "estadounidense"),
    _c("UY", "Uruguay", "Uruguayan", "uruguayo"),
    _c("VE", "Venezuela", "Venezuelan", "venezolano"),
)  # fmt: skip

_BY_NAME: dict[str, str] = {fold(n): c.code for c in AMERICAS for n in c.names}
#: Demonyms that are also other words or other countries' (English "American" is the
#: continent's too, "Dominican" two countries'): not used to link.
AMBIGUOUS_DEMONYMS = frozenset({"american", "americans", "dominican", "dominicans"})


def country_code(name: str) -> str | None:
    """The ISO code of a country of the Americas this name is (English or Spanish)."""
    return _BY_NAME.get(fold(name))


_BY_CODE: dict[str, CountryNames] = {c.code: c for c in AMERICAS}


def demonyms_of(code: str) -> tuple[str, ...]:
    """The table's demonyms of the country with this ISO code (none if it is not there),
    without those that are ambiguous."""
    names = _BY_CODE.get(code.upper())
    if names is None:
        return ()
    return tuple(d for d in names.demonyms if fold(d) not in AMBIGUOUS_DEMONYMS)


def names_of(code: str) -> tuple[str, ...]:
    """The table's English and Spanish names of the country with this ISO code."""
    names = _BY_CODE.get(code.upper())
    return names.names if names is not None else ()
