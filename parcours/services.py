"""Writes of the parcours: templates, PDF summaries, « Être contacté »."""

from __future__ import annotations

import hashlib
import logging
import uuid
from urllib.parse import parse_qsl

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.referentiels import Besoin
from crm.services import sollicitation_creer
from portal.documents import document_demander, documents_supprimer
from portal.models import Document
from territoires.models import Commune

from .models import DemandeDeContact, ParcoursType, SyntheseParcours
from .pdf import parcours_pdf_rendre
from .profil import Profil, Projet, StadeEntreprise
from .selectors import Proposition, proposition_calculer

logger = logging.getLogger(__name__)

GENRE_SYNTHESE = "parcours.synthese"


# --- Templates (staff) ------------------------------------------------------------------------


@transaction.atomic
def parcours_type_enregistrer(*, formulaire, etapes) -> ParcoursType:
    """Save a template and its steps together (a ModelForm and its inline formset, both valid)."""
    parcours = formulaire.save()
    etapes.instance = parcours
    etapes.save()
    return parcours


@transaction.atomic
def parcours_type_supprimer(*, parcours: ParcoursType) -> None:
    parcours.delete()


# --- The profile in a URL ---------------------------------------------------------------------


def profil_depuis_querystring(querystring: str) -> Profil:
    """Rebuild a profile from a stored permalink (already validated when it was stored)."""
    valeurs: dict[str, list[str]] = {}
    for cle, valeur in parse_qsl(querystring):
        valeurs.setdefault(cle, []).append(valeur)

    def un(cle):
        return valeurs.get(cle, [None])[0]

    effectif = un("effectif")
    return Profil(
        commune=un("commune") or "",
        stade=un("stade"),
        taille=un("taille"),
        effectif=int(effectif) if effectif is not None else None,
        naf=un("naf"),
        statuts=tuple(valeurs.get("statuts", ())),
        projets=tuple(valeurs.get("projets", ())),
        maturite=un("maturite"),
    )


# --- PDF summary --------------------------------------------------------------------------------


@transaction.atomic
def synthese_demander(*, profil: Profil) -> SyntheseParcours:
    """Ask for the PDF of this profile's parcours; a second click while it is being prepared gets the
    same summary."""
    querystring = profil.querystring()
    document, cree = document_demander(genre=GENRE_SYNTHESE, cle=hashlib.sha256(querystring.encode()).hexdigest())
    if not cree:
        return document.synthese_parcours
    synthese = SyntheseParcours(profil=querystring, document=document, cree_le=document.cree_le)
    synthese.full_clean()
    synthese.save()
    return synthese


def synthese_pdf(document: Document) -> bytes:
    """The generator of GENRE_SYNTHESE (registered in ParcoursConfig.ready): the PDF of the profile."""
    synthese = document.synthese_parcours
    profil = profil_depuis_querystring(synthese.profil)
    commune = Commune.objects.avec_territoire().get(code_insee=profil.commune)
    return parcours_pdf_rendre(proposition_calculer(profil=profil, commune=commune), cree_le=synthese.cree_le)


# --- « Être contacté par mon conseiller » -------------------------------------------------------

BESOIN_PAR_PROJET = [
    (Projet.DIFFICULTE, Besoin.DIFFICULTE),
    (Projet.CREER, Besoin.CREER),
    (Projet.INNOVER, Besoin.INNOVER),
    (Projet.EXPORTER, Besoin.EXPORTER),
    (Projet.IMPLANTER, Besoin.IMPLANTER),
    (Projet.RECRUTER, Besoin.RECRUTER),
    (Projet.FORMER, Besoin.FORMER),
    (Projet.NUMERISER, Besoin.NUMERIQUE),
    (Projet.INVESTIR, Besoin.INVESTIR),
]


def besoin_du_profil(profil: Profil) -> str:
    for projet, besoin in BESOIN_PAR_PROJET:
        if projet in profil.projets:
            return besoin
    if profil.stade == StadeEntreprise.DIFFICULTE:
        return Besoin.DIFFICULTE
    if profil.stade in (StadeEntreprise.PROJET, StadeEntreprise.TRANSMISSION):
        return Besoin.CREER
    return Besoin.AUTRE


def resume_pour_le_crm(proposition: Proposition, *, lien: str, message: str = "") -> str:
    """What the agent reads in the request: the visitor's words, then the profile and the parcours."""
    lignes = [message.strip(), ""] if message.strip() else []
    lignes.append("— Profil saisi sur le portail (parcours) —")
    lignes += [f"{question} : {reponse}" for question, reponse in proposition.profil.resume(proposition.commune.nom)]
    for propose in proposition.assemblage.parcours:
        lignes.append("")
        lignes.append(f"Parcours proposé : {propose.parcours.nom}")
        for etape in propose.etapes:
            aides = ", ".join(r.dispositif.nom for r in etape.recommandations)
            lignes.append(f"  {etape.etape.ordre}. {etape.etape.titre}" + (f" : {aides}" if aides else ""))
    if proposition.assemblage.autres:
        lignes.append("")
        lignes.append(
            "Autres aides recommandées : " + ", ".join(r.dispositif.nom for r in proposition.assemblage.autres[:15])
        )
    lignes.append("")
    lignes.append(f"Réponses et parcours en ligne : {lien}")
    return "\n".join(lignes)


@transaction.atomic
def contact_demander(
    *,
    jeton: uuid.UUID,
    proposition: Proposition,
    lien: str,
    nom: str,
    email: str,
    telephone: str = "",
    entreprise: str = "",
    message: str = "",
    consentement: bool,
) -> tuple[DemandeDeContact, bool]:
    """Create the CRM request for this form once; a second submission returns the first one.

    Returns (demande, created).
    """
    existante = DemandeDeContact.objects.filter(jeton=jeton).first()
    if existante:
        return existante, False
    principal = proposition.assemblage.principal
    agents = proposition.contact.agents
    try:
        with transaction.atomic():
            demande = DemandeDeContact.objects.create(
                jeton=jeton,
                profil=proposition.profil.querystring(),
                parcours_id=principal.parcours.id if principal else None,
                conseiller=agents[0] if agents else None,
            )
    except IntegrityError:  # the same form submitted twice at the same moment
        return DemandeDeContact.objects.get(jeton=jeton), False
    sollicitation = sollicitation_creer(
        commune=proposition.commune,
        besoin=besoin_du_profil(proposition.profil),
        direction=proposition.contact.direction,
        nom=nom,
        email=email,
        telephone=telephone,
        entreprise_saisie=entreprise,
        message=resume_pour_le_crm(proposition, lien=lien, message=message),
        consentement=consentement,
    )
    demande.sollicitation_id = sollicitation.pk
    demande.save(update_fields=["sollicitation_id"])
    return demande, True


def syntheses_purger(*, jours: int = 7, maintenant=None) -> int:
    """Delete the PDF summaries (rows and files) older than `jours` days: they hold a profile, and the
    permalink rebuilds an up-to-date one at any time. Returns how many were deleted."""
    limite = (maintenant or timezone.now()) - timezone.timedelta(days=jours)
    return documents_supprimer(Document.objects.filter(genre=GENRE_SYNTHESE, synthese_parcours__cree_le__lt=limite))
