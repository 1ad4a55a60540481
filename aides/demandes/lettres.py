"""Decision letters: a PDF rendered by WeasyPrint in a background job (portal.travaux: durable, swept
when lost) from the dispositif's Markdown template or the default one, stored as version n+1.

Small on purpose: the storage (`LettreDecision`) is meant to move onto the shared document model."""

import hashlib
import re
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from aides.catalogue.rendu import markdown_en_html
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.models.lettre import LettreDecision
from aides.demandes.services.demande.depot import _notifier_entreprise, date_fr
from portal.models import Travail
from portal.templatetags.portail import format_euros
from portal.travaux import travail_demander

TACHE = "aides.demandes.lettres.lettre_generer"
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


def lettre_demander(demande: Demande) -> Travail | None:
    """Ask for a new version of the decision letter, in the caller's transaction (run after commit)."""
    if demande.statut not in DECISIONS_AVEC_LETTRE:
        return None
    return travail_demander(TACHE, demande_id=demande.pk, cle=uuid.uuid4().hex)


def lettre_en_preparation(demande: Demande) -> bool:
    return Travail.objects.filter(
        tache=TACHE,
        arguments__demande_id=demande.pk,
        statut__in=[Travail.Statut.EN_ATTENTE, Travail.Statut.EN_COURS],
    ).exists()


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


def lettre_generer(*, demande_id: int, cle: str) -> bool:
    """Render and store the next version of the letter; True when this call stored it."""
    from weasyprint import HTML  # heavy import: only in the worker that renders

    demande = (
        Demande.objects.select_related("dispositif__direction", "etablissement__entreprise", "demandeur")
        .filter(pk=demande_id, statut__in=DECISIONS_AVEC_LETTRE)
        .first()
    )
    if demande is None or LettreDecision.objects.filter(cle=cle).exists():
        return False
    contenu = HTML(string=lettre_html(demande)).write_pdf()
    with transaction.atomic():
        demande = Demande.objects.select_for_update(of=("self",)).select_related("dispositif").get(pk=demande_id)
        if LettreDecision.objects.filter(cle=cle).exists():
            return False  # another worker stored it meanwhile
        numero = (demande.lettres.aggregate(n=Max("numero"))["n"] or 0) + 1
        lettre = LettreDecision(demande=demande, numero=numero, decision=demande.statut, cle=cle)
        lettre.sha256 = hashlib.sha256(contenu).hexdigest()
        lettre.fichier.save(f"lettre-{demande.pk}-v{numero}.pdf", ContentFile(contenu), save=False)
        lettre.save()
        _notifier_entreprise(demande, "demande_lettre", lettre=lettre)
    return True


@transaction.atomic
def lettre_regenerer(*, demande_id: int) -> Travail:
    """Staff ask for a new version (after changing the dispositif's template): never overwrites."""
    demande = Demande.objects.select_for_update(of=("self",)).get(pk=demande_id)
    travail = lettre_demander(demande)
    if travail is None:
        raise ValidationError("Seules les demandes accordées ou refusées ont une lettre de décision.")
    return travail
