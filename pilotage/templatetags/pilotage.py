"""Filters of the statistics pages: French numbers, percentages, days, whole euros."""

from django import template

from pilotage import formats

register = template.Library()


@register.filter
def nombre(valeur) -> str:
    return formats.nombre(valeur)


@register.filter
def pourcentage(valeur) -> str:
    return formats.pourcentage(valeur)


@register.filter
def jours(valeur) -> str:
    return formats.jours(valeur)


@register.filter
def euros_entiers(valeur) -> str:
    return formats.euros(valeur)


@register.filter
def decimal_fr(valeur) -> str:
    return formats.decimal_fr(valeur)
