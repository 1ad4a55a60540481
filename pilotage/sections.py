"""The section pilotage adds to the staff page of a dispositif (territoires.extensions registry)."""

from django.utils import timezone

from territoires.extensions import Section

from . import statistiques


def section_dispositif(dispositif, request) -> Section:
    """The year's key figures (two queries) and the link to the statistics page."""
    annee = timezone.localdate().year
    comparaison, delais = chiffres_section(dispositif.pk, annee)
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


def chiffres_section(dispositif_id: int, annee: int) -> tuple:
    """The year against the one before and the year's delays, kept STATISTIQUES_CACHE_SECONDES."""
    return statistiques.en_cache(
        f"section:{dispositif_id}:{annee}",
        lambda: (
            statistiques.comparaison(dispositif_id=dispositif_id, annee=annee),
            statistiques.delais(annee=annee, dispositif_id=dispositif_id),
        ),
    )
