"""Calendar and feeds of any catalogue search: closing dates as iCalendar (RFC 5545, written here)
and new aids as Atom (Django's syndication framework). Same filters as `/aides/`."""

from datetime import UTC, timedelta

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from aides.catalogue.filters import DispositifFilterSet
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.selectors import catalogue_filtrer

EVENEMENTS_MAX = 1000
ENTREES_MAX = 50


def _filtres_valides(request: HttpRequest) -> DispositifFilterSet:
    filtres = DispositifFilterSet(request.GET)
    if not filtres.form.is_valid():
        raise Http404("Paramètre de recherche invalide.")
    return filtres


# --- iCalendar ----------------------------------------------------------------------------------


def ics_echapper(texte: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        texte.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def ics_plier(ligne: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (§3.1), never inside a UTF-8 character."""
    octets = ligne.encode()
    if len(octets) <= 75:
        return ligne
    morceaux, debut, limite = [], 0, 75
    while debut < len(octets):
        fin = min(debut + limite, len(octets))
        while fin < len(octets) and (octets[fin] & 0xC0) == 0x80:  # a continuation byte: cut before it
            fin -= 1
        morceaux.append(octets[debut:fin].decode())
        debut, limite = fin, 74  # the leading space counts
    return "\r\n ".join(morceaux)


def calendrier_ics(dispositifs, *, hote: str, adresse, maintenant) -> str:
    horodatage = maintenant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Region Hauts-de-France//Portail Entreprises//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ics_echapper("Clôtures des aides – Région Hauts-de-France"),
        "X-WR-TIMEZONE:Europe/Paris",
    ]
    for dispositif in dispositifs:
        url = adresse(dispositif)
        lignes += [
            "BEGIN:VEVENT",
            f"UID:cloture-{dispositif.slug}@{hote}",
            f"DTSTAMP:{horodatage}",
            f"DTSTART;VALUE=DATE:{dispositif.date_cloture:%Y%m%d}",
            f"DTEND;VALUE=DATE:{dispositif.date_cloture + timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + ics_echapper(f"Clôture : {dispositif.nom}"),
            "DESCRIPTION:" + ics_echapper(f"Dernier jour pour déposer une demande.\n{dispositif.resume}\n{url}"),
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lignes.append("END:VCALENDAR")
    return "".join(ics_plier(ligne) + "\r\n" for ligne in lignes)


def calendrier(request: HttpRequest) -> HttpResponse:
    filtres = DispositifFilterSet(request.GET)
    if not filtres.form.is_valid():
        return HttpResponse("Paramètre de recherche invalide.", status=400, content_type="text/plain; charset=utf-8")
    dispositifs = (
        catalogue_filtrer(filtres)
        .filter(date_cloture__isnull=False)
        .order_by("date_cloture", "nom")
        .select_related(None)
        .only("slug", "nom", "resume", "date_cloture")[:EVENEMENTS_MAX]
    )
    modele = request.build_absolute_uri(reverse("aides:detail", args=["_"]))
    contenu = calendrier_ics(
        dispositifs,
        hote=request.get_host().split(":")[0],
        adresse=lambda d: modele.replace("/_/", f"/{d.slug}/"),
        maintenant=timezone.now(),
    )
    reponse = HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
    reponse["Content-Disposition"] = 'inline; filename="clotures-aides-hauts-de-france.ics"'
    reponse["Access-Control-Allow-Origin"] = "*"
    return reponse


# --- Atom ---------------------------------------------------------------------------------------


class NouvellesAides(Feed):
    feed_type = Atom1Feed
    title = "Nouvelles aides aux entreprises – Région Hauts-de-France"
    subtitle = "Les aides publiées sur le Portail Entreprises qui correspondent à votre recherche."
    author_name = "Région Hauts-de-France"

    def get_object(self, request: HttpRequest, *args, **kwargs) -> DispositifFilterSet:
        self.requete = request.GET.urlencode()
        return _filtres_valides(request)

    def link(self, filtres: DispositifFilterSet) -> str:
        return reverse("aides:catalogue") + (f"?{self.requete}" if self.requete else "")

    def items(self, filtres: DispositifFilterSet):
        return (
            catalogue_filtrer(filtres)
            .filter(publie_le__isnull=False)
            .order_by("-publie_le", "pk")
            .select_related(None)
            .only("slug", "nom", "resume", "publie_le", "modifie_le")[:ENTREES_MAX]
        )

    def item_title(self, dispositif: Dispositif) -> str:
        return dispositif.nom

    def item_description(self, dispositif: Dispositif) -> str:
        return dispositif.resume

    def item_link(self, dispositif: Dispositif) -> str:
        return reverse("aides:detail", args=[dispositif.slug])

    def item_pubdate(self, dispositif: Dispositif):
        return dispositif.publie_le

    def item_updateddate(self, dispositif: Dispositif):
        return dispositif.modifie_le
