"""The Spanish names and acronyms of international bodies that news of the Americas names
("OIM" for the IOM, "ACNUR" for UNHCR), keyed by the English acronym the graph records, as
``countries.py`` keeps the other-language names of the countries.

A graph organization with one of these acronyms is also found by the Spanish forms; the
table is general knowledge about the bodies, not about any text.
"""

from __future__ import annotations

__all__ = ["spanish_names_of"]

#: English acronym -> (Spanish acronym, Spanish name); an empty acronym where the Spanish
#: name has none of its own.
_SPANISH: dict[str, tuple[str, str]] = {
    "IOM": ("OIM", "Organización Internacional para las Migraciones"),
    "UNHCR": ("ACNUR", "Alto Comisionado de las Naciones Unidas para los Refugiados"),
    "UNICEF": ("", "Fondo de las Naciones Unidas para la Infancia"),
    "UN": ("ONU", "Organización de las Naciones Unidas"),
    "OAS": ("OEA", "Organización de los Estados Americanos"),
    "IDB": ("BID", "Banco Interamericano de Desarrollo"),
    "IMF": ("FMI", "Fondo Monetario Internacional"),
    "ICRC": ("CICR", "Comité Internacional de la Cruz Roja"),
    "OHCHR": ("ACNUDH", "Oficina del Alto Comisionado para los Derechos Humanos"),
    "ECLAC": ("CEPAL", "Comisión Económica para América Latina y el Caribe"),
    "WFP": ("PMA", "Programa Mundial de Alimentos"),
    "CABEI": ("BCIE", "Banco Centroamericano de Integración Económica"),
    "CAF": ("CAF", "Corporación Andina de Fomento"),
    "USAID": ("USAID", "Agencia de los Estados Unidos para el Desarrollo Internacional"),
}


def spanish_names_of(acronym: str) -> tuple[str, ...]:
    """The Spanish acronym and name of the body with this English acronym, if known."""
    spanish_acronym, name = _SPANISH.get(acronym, ("", ""))
    return tuple(n for n in (spanish_acronym, name) if n and n != acronym)
