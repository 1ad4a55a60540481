"""Pieces shared by the apps' FilterSets (django-filter)."""

import django_filters
from django import forms


class FiltreCase(django_filters.Filter):
    """A checkbox (`?actifs=on`, `1`…): ticked, it filters `field_name=True` or calls its method;
    unticked, it filters nothing (a plain BooleanFilter would keep only the False rows)."""

    field_class = forms.BooleanField

    def filter(self, qs, value):
        return qs.filter(**{self.field_name: True}) if value else qs
