"""The section pilotage adds to the staff page of a dispositif (territoires.extensions registry)."""

from django.utils import timezone

from territoires.extensions import Section

from . import statistiques


def section_dispositif(dispositif, request) -> Section:
    """The year's key figures (two queries) and the link to the statistics page."""
    annee = timezone.localdate().year
    comparaison, delais = statistiques.en_cache(
        f"section:{dispositif.pk}:{annee}",
        lambda: (
            statistiques.comparaison(dispositif_id=dispositif.pk, annee=annee),
            statistiques.delais(annee=annee, dispositif_id=dispositif.pk),
        ),
    )
    return Section(
        f"Chiffres {annee}",
        "pilotage/_section_dispositif.html",
        {
            "dispositif": dispositif,
            "annee": annee,
            "c": comparaison,
            "delai": delais[0],
            "chiffres_au": comparaison["calcule_le"],
        },
    )
