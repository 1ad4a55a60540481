"""Decision letters: a portal.Document rendered by WeasyPrint in the background (portal.documents: the
request, the one state machine, the job and its sweep, the one poller) from the dispositif's Markdown
template or the default one. Each request is a new version (LettreDecision n+1), never overwritten; a
second request while one is being prepared (a double click) gets the pending version."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from aides.catalogue.rendu import markdown_en_html
from aides.demandes.acces import demandes_visibles, membre_courant
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.models.lettre import LettreDecision
from aides.demandes.services.demande.depot import _notifier_entreprise, date_fr
from portal.documents import document_demander
from portal.models import Document
from portal.permissions import peut
from portal.templatetags.portail import format_euros

GENRE_LETTRE = "aides.lettre"
DECISIONS_AVEC_LETTRE = (Statut.ACCORDEE, Statut.REFUSEE)

MODELE_ACCORD = """Madame, Monsieur,

J'ai le plaisir de vous informer que la commission permanente du Conseil régional a décidé
le {date_decision} (délibération n° {deliberation}) d'accorder à **{entreprise}** une aide de
**{montant}** au titre du dispositif « {dispositif} » pour votre demande n° {numero}.

{motif}

Une convention précisant les modalités de versement vous sera adressée prochainement dans votre
espace entreprise.

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."""

MODELE_REFUS = """Madame, Monsieur,

J'ai le regret de vous informer que votre demande n° {numero} présentée par **{entreprise}** au
titre du dispositif « {dispositif} » n'a pas pu recevoir une suite favorable le {date_decision}.

Motif : {motif}

Vous pouvez former un recours gracieux auprès de la Région dans un délai de deux mois à compter de
la réception de ce courrier.

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."""


def lettre_demander(demande: Demande, *, par=None) -> LettreDecision | None:
    """Ask for a new version of the decision letter, in the caller's transaction (rendered after
    commit). The caller holds the application's row lock; a version still being prepared is returned
    instead of a second one."""
    if demande.statut not in DECISIONS_AVEC_LETTRE:
        return None
    document, cree = document_demander(genre=GENRE_LETTRE, cle=f"demande:{demande.pk}", par=par)
    if not cree:
        return document.lettre_decision
    numero = (demande.lettres.aggregate(n=Max("numero"))["n"] or 0) + 1
    lettre = LettreDecision(demande=demande, numero=numero, decision=demande.statut, document=document)
    lettre.full_clean()
    lettre.save()
    return lettre


def lettre_en_preparation(demande: Demande) -> LettreDecision | None:
    """The version not ready yet (being prepared, or failed and to be retried), if any."""
    return (
        demande.lettres.exclude(document__statut=Document.Statut.PRET).select_related("document").order_by("-numero")
    ).first()


def _valeurs(demande: Demande) -> dict[str, str]:
    date_decision = demande.date_commission or timezone.localdate(demande.decidee_le or timezone.now())
    return {
        "entreprise": demande.etablissement.entreprise.denomination,
        "montant": format_euros(demande.montant_accorde) if demande.montant_accorde else "",
        "dispositif": demande.dispositif.nom,
        "date_decision": date_fr(date_decision),
        "motif": demande.motif_decision,
        "numero": demande.numero_depot,
        "deliberation": demande.numero_deliberation,
    }


def lettre_texte(demande: Demande) -> str:
    """The letter's Markdown with its placeholders filled (unknown ones stay as typed). The values
    are escaped: a company name cannot add markup; the result is sanitised by markdown_en_html."""
    accord = demande.statut == Statut.ACCORDEE
    modele = (demande.dispositif.lettre_accord_modele if accord else demande.dispositif.lettre_refus_modele).strip()
    modele = modele or (MODELE_ACCORD if accord else MODELE_REFUS)
    valeurs = _valeurs(demande)
    return re.sub(r"\{(\w+)\}", lambda m: escape(valeurs.get(m.group(1), m.group(0))), modele)


def lettre_html(demande: Demande) -> str:
    return render_to_string(
        "aides/instruction/lettre_pdf.html",
        {"demande": demande, "corps": markdown_en_html(lettre_texte(demande)), "le": timezone.localdate()},
    )


def _lettre(document: Document) -> LettreDecision:
    return LettreDecision.objects.select_related(
        "demande__dispositif__direction", "demande__etablissement__entreprise", "demande__demandeur"
    ).get(document=document)


def lettre_pdf(document: Document) -> bytes:
    """The generator of GENRE_LETTRE (registered in AidesConfig.ready)."""
    from weasyprint import HTML  # heavy import: only in the worker that renders

    return HTML(string=lettre_html(_lettre(document).demande)).write_pdf()


def lettre_prete(document: Document) -> None:
    """Once the letter is stored: the company is told (once: the document is ready only once)."""
    lettre = _lettre(document)
    _notifier_entreprise(lettre.demande, "demande_lettre", lettre=lettre)


def lettre_lisible(request, document: Document) -> bool:
    """The status endpoint's rule, as the download views': staff who read the deposited application,
    the members who see it."""
    lettre = LettreDecision.objects.select_related("demande").filter(document=document).first()
    if lettre is None or not request.user.is_authenticated:
        return False
    if request.user.is_staff:
        return lettre.demande.numero_depot is not None and peut(request.user, "demande", "lire", cible=lettre.demande)
    membre = membre_courant(request)
    return membre is not None and demandes_visibles(membre).filter(pk=lettre.demande_id).exists()


def lettre_url(document: Document) -> str:
    """The company's download view (the instruction page gives the poller its own, see _lettres.html)."""
    lettre = document.lettre_decision
    return reverse("espace:lettre", args=[lettre.demande_id, lettre.pk])


@transaction.atomic
def lettre_regenerer(*, demande_id: int, par=None) -> LettreDecision:
    """Staff ask for a new version (after changing the dispositif's template): never overwrites."""
    demande = Demande.objects.select_for_update(of=("self",)).get(pk=demande_id)
    lettre = lettre_demander(demande, par=par)
    if lettre is None:
        raise ValidationError("Seules les demandes accordées ou refusées ont une lettre de décision.")
    return lettre
