"""Filters of the partners' pages: the catalogue embedded in a partner's site."""

import django_filters

from aides.catalogue.referentiels import Thematique


class CatalogueIntegreFilterSet(django_filters.FilterSet):
    """`?theme=`: one theme of the catalogue; an unknown one is ignored (the frame shows every aid).

    The territory (`?epci=`, else the site's) chooses the base queryset in the view: it is not a
    filter of the list but the partner's scope.
    """

    theme = django_filters.ChoiceFilter(label="Thématique", choices=Thematique.choices, method="filtrer_theme")

    def filtrer_theme(self, queryset, name, value):
        return queryset.filter(thematiques__contains=[value])

    @property
    def theme_choisi(self) -> str:
        self.form.is_valid()
        return self.form.cleaned_data.get("theme") or ""
