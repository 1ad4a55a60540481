"""Writes of the parcours: templates, PDF summaries, « Être contacté »."""

from __future__ import annotations

import hashlib
import logging
import uuid
from urllib.parse import parse_qsl

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.referentiels import Besoin
from crm.services import sollicitation_creer
from portal.travaux import travail_demander
from territoires.models import Commune

from .models import DemandeDeContact, ParcoursType, SyntheseParcours
from .profil import Profil, Projet, StadeEntreprise
from .selectors import Proposition, proposition_calculer

logger = logging.getLogger(__name__)


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
    synthese = SyntheseParcours(profil=profil.querystring())
    synthese.full_clean()
    synthese.save()
    travail_demander("parcours.services.synthese_generer", synthese_id=str(synthese.pk))
    return synthese


def synthese_generer(*, synthese_id) -> bool:
    """Render and store the PDF. Run by its `portal.Travail` row, which is claimed once at a time; a
    row left « en cours » by a worker that died is taken again when the job is."""
    from .pdf import parcours_pdf_rendre

    reclamee = SyntheseParcours.objects.filter(
        pk=synthese_id,
        statut__in=[
            SyntheseParcours.Statut.EN_ATTENTE,
            SyntheseParcours.Statut.EN_COURS,
            SyntheseParcours.Statut.ECHEC,
        ],
    ).update(statut=SyntheseParcours.Statut.EN_COURS, erreur="")
    if not reclamee:
        return False
    synthese = SyntheseParcours.objects.get(pk=synthese_id)
    try:
        profil = profil_depuis_querystring(synthese.profil)
        commune = Commune.objects.avec_territoire().get(code_insee=profil.commune)
        proposition = proposition_calculer(profil=profil, commune=commune)
        contenu = parcours_pdf_rendre(proposition, cree_le=synthese.cree_le)
    except Exception as erreur:
        SyntheseParcours.objects.filter(pk=synthese_id).update(
            statut=SyntheseParcours.Statut.ECHEC, erreur=str(erreur)[:2000]
        )
        raise
    with transaction.atomic():
        synthese.fichier.save(f"parcours-{synthese.pk}.pdf", ContentFile(contenu), save=False)
        synthese.sha256 = hashlib.sha256(contenu).hexdigest()
        synthese.statut = SyntheseParcours.Statut.PRETE
        synthese.prete_le = timezone.now()
        synthese.full_clean()
        synthese.save(update_fields=["fichier", "sha256", "statut", "prete_le"])
    return True


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
    nombre = 0
    for synthese in SyntheseParcours.objects.filter(cree_le__lt=limite).only("pk", "fichier"):
        if synthese.fichier:
            synthese.fichier.delete(save=False)
        synthese.delete()
        nombre += 1
    return nombre
