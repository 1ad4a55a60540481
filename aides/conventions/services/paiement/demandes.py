from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aides.conventions.actions import MACHINE_DEMANDE_VERSEMENT, peut_demander
from aides.conventions.models.convention import ConventionAide
from aides.conventions.models.paiement import (
    DemandeVersement,
    DepenseJustifiee,
    EchangeVersement,
    PieceDemandeVersement,
    RapportFinal,
)
from aides.conventions.models.versement import Versement
from aides.conventions.services.convention import (
    ETAPES_VERSEMENT,
    _verrouiller,
    destinataires_entreprise,
    versement_avancer,
    versement_creer,
)
from aides.conventions.services.paiement.calculs import ZERO, Etat, calculer, montant_en_attente, tranches
from portal.documents import document_deposer, documents_supprimer
from portal.models import Document, User
from portal.services import notification_creer
from portal.templatetags.portail import format_euros
from portal.verification import FichierVerifie

# The kind of portal.Document an invoice or proof of a payment request is (registered in AidesConfig.ready).
GENRE_PIECE_PAIEMENT = "aides.paiement.piece"


def _modifiable(demande: DemandeVersement) -> bool:
    return demande.etat in MACHINE_DEMANDE_VERSEMENT.actions["modifier"]


def _peut_demander(membre) -> None:
    if not peut_demander(membre):
        raise ValidationError(
            "Seul un membre vérifié du compte (administrateur ou membre, pas lecteur) demande un versement."
        )


def _notifier_entreprise(demande: DemandeVersement, gabarit: str, **extra) -> None:
    convention = demande.convention
    contexte = {
        "demande": demande,
        "convention": convention,
        "lien_espace": reverse("espace:versement", args=[convention.pk, demande.pk]),
        **extra,
    }
    for destinataire in destinataires_entreprise(convention):
        notification_creer(gabarit=gabarit, destinataire=destinataire, contexte=contexte)


def _demande_verrouillee(demande_versement_id: int) -> tuple[ConventionAide, DemandeVersement]:
    convention_id = DemandeVersement.objects.values_list("convention_id", flat=True).get(pk=demande_versement_id)
    convention = _verrouiller(convention_id)
    demande = DemandeVersement.objects.select_for_update().get(pk=demande_versement_id)
    return convention, demande


@transaction.atomic
def demande_versement_creer(*, convention_id: int, tranche: int, par: User, membre) -> DemandeVersement:
    """A draft on one instalment of the plan. Refused if that instalment already has one in progress."""
    _peut_demander(membre)
    convention = _verrouiller(convention_id)
    if convention.etape not in ETAPES_VERSEMENT:
        raise ValidationError(
            f"La convention est « {convention.get_etape_display().lower()} » : aucun versement ne peut être demandé."
        )
    plan = tranches(convention)
    if not 0 <= tranche < len(plan):
        raise ValidationError({"tranche": "Choisissez une tranche de l'échéancier de la convention."})
    existante = (
        convention.demandes_versement.filter(tranche=tranche).exclude(etat=Etat.REFUSEE).order_by("-cree_le").first()
    )
    if existante:
        if _modifiable(existante):
            return existante  # the same draft again (double click, second tab): nothing is lost
        raise ValidationError(f"Une demande sur cette tranche est déjà « {existante.get_etat_display().lower()} ».")
    demande = DemandeVersement(convention=convention, tranche=tranche, type=plan[tranche].type, demandeur=par)
    demande.full_clean()
    demande.save()
    return demande


@transaction.atomic
def demande_versement_enregistrer(
    *,
    demande_versement_id: int,
    par: User,
    membre,
    lignes: list[dict],
    commentaire: str = "",
    pieces: list[FichierVerifie] | None = None,
) -> DemandeVersement:
    """Save a draft as typed (lines replaced, blank fields allowed); files are added."""
    _peut_demander(membre)
    _convention, demande = _demande_verrouillee(demande_versement_id)
    if not _modifiable(demande):
        raise ValidationError(f"Cette demande est « {demande.get_etat_display().lower()} » : elle ne se modifie plus.")
    prevues = set(demande.convention.demande.lignes.values_list("pk", flat=True))
    demande.lignes.all().delete()
    for i, ligne in enumerate(lignes):
        if not any(
            ligne.get(c) not in (None, "")
            for c in ("fournisseur", "numero_facture", "date_facture", "montant_ht", "montant_ttc")
        ):
            continue
        ligne_depense = ligne.get("ligne_depense")
        ligne_depense_id = getattr(ligne_depense, "pk", ligne_depense)
        if ligne_depense_id and ligne_depense_id not in prevues:
            raise ValidationError("Cette dépense prévue n'appartient pas à la demande d'aide.")
        DepenseJustifiee.objects.create(
            demande_versement=demande,
            fournisseur=ligne.get("fournisseur") or "",
            numero_facture=ligne.get("numero_facture") or "",
            date_facture=ligne.get("date_facture"),
            montant_ht=ligne.get("montant_ht"),
            montant_ttc=ligne.get("montant_ttc"),
            ligne_depense_id=ligne_depense_id or None,
            ordre=i,
        )
    demande.commentaire = commentaire
    demande.modifie_le = timezone.now()
    demande.save(update_fields=["commentaire", "modifie_le"])
    for verifie in pieces or []:
        piece_ajouter(demande=demande, verifie=verifie, par=par)
    return demande


def piece_ajouter(*, demande: DemandeVersement, verifie: FichierVerifie, par: User, echange=None):
    piece = PieceDemandeVersement(
        demande_versement=demande,
        echange=echange,
        document=document_deposer(verifie, genre=GENRE_PIECE_PAIEMENT, par=par),
        nom_original=verifie.nom_original,
        depose_par=par,
    )
    piece.full_clean()
    piece.save()
    return piece


@transaction.atomic
def piece_retirer(*, piece_id: int, par: User, membre) -> None:
    _peut_demander(membre)
    piece = PieceDemandeVersement.objects.select_related("demande_versement").get(pk=piece_id)
    if not _modifiable(piece.demande_versement) or piece.echange_id:
        raise ValidationError("Cette pièce est déposée : elle ne se retire plus.")
    documents_supprimer(Document.objects.filter(pk=piece.document_id))  # the piece goes with it


@transaction.atomic
def demande_versement_deposer(*, demande_versement_id: int, par: User, membre, certifie: bool) -> DemandeVersement:
    """Deposit (or answer a complement): checks, computes the amount, reserves it on the convention."""
    _peut_demander(membre)
    convention, demande = _demande_verrouillee(demande_versement_id)
    if not _modifiable(demande):
        raise ValidationError(f"Cette demande est déjà « {demande.get_etat_display().lower()} ».")
    if convention.etape not in ETAPES_VERSEMENT:
        raise ValidationError("La convention n'est plus en exécution : aucun versement ne peut être demandé.")
    if not certifie:
        raise ValidationError({"certifie": "Certifiez sur l'honneur l'exactitude de l'état des dépenses."})
    lignes = list(demande.lignes.all())
    erreurs = []
    if demande.type != "avance":
        if not lignes:
            erreurs.append("Ajoutez au moins une facture à l'état des dépenses.")
        if not demande.pieces.exists():
            erreurs.append("Joignez les factures et justificatifs.")
    if demande.type == "solde":
        rapport = RapportFinal.objects.filter(convention=convention).first()
        if rapport is None or not rapport.depose:
            erreurs.append(
                "Le solde se demande avec le rapport final : déposez-le d'abord (indicateurs et preuve de publicité)."
            )
    calcul = calculer(convention, demande, lignes)
    erreurs += calcul.erreurs
    if erreurs:
        raise ValidationError(erreurs)
    if calcul.montant <= 0:
        raise ValidationError(
            "Aucun montant n'est à verser sur cette tranche : le plafond de l'échéancier est atteint."
        )
    en_attente = montant_en_attente(convention, sauf=demande.pk)
    disponible = convention.montant - convention.total_versements - en_attente
    if calcul.montant > disponible:
        raise ValidationError(
            f"Cette demande ({format_euros(calcul.montant)}) dépasse ce qui reste à verser : "
            f"{format_euros(max(disponible, ZERO))} sur {format_euros(convention.montant)}, une autre demande "
            f"de {format_euros(en_attente)} étant déjà en vérification. Attendez sa décision."
        )
    complement = demande.etat == Etat.COMPLEMENT
    demande.etat = Etat.DEPOSEE
    demande.certifie = True
    demande.certifie_par = par
    demande.montant_demande = calcul.montant
    demande.depenses_declarees = calcul.depenses
    maintenant = timezone.now()
    demande.depose_le = demande.depose_le or maintenant
    demande.modifie_le = maintenant
    demande.full_clean()
    demande.save()
    _notifier_entreprise(demande, "paiement_demande_etape", evenement="reponse" if complement else "depot")
    return demande


@transaction.atomic
def demande_versement_repondre(
    *, demande_versement_id: int, par: User, membre, texte: str, pieces: list[FichierVerifie] | None = None
) -> DemandeVersement:
    """The company's answer to a complement: a message and files; then it re-deposits."""
    _peut_demander(membre)
    _convention, demande = _demande_verrouillee(demande_versement_id)
    if demande.etat not in MACHINE_DEMANDE_VERSEMENT.actions["repondre"]:
        raise ValidationError("Aucun complément n'est demandé sur cette demande.")
    if not texte.strip() and not pieces:
        raise ValidationError({"texte": "Écrivez une réponse ou joignez un fichier."})
    echange = EchangeVersement.objects.create(
        demande_versement=demande, sens=EchangeVersement.Sens.ENTREPRISE, auteur=par, texte=texte.strip()
    )
    for verifie in pieces or []:
        piece_ajouter(demande=demande, verifie=verifie, par=par, echange=echange)
    return demande


def _deja_decidee(demande: DemandeVersement) -> ValidationError:
    qui = demande.decide_par.get_full_name() or demande.decide_par.email if demande.decide_par else "un agent"
    quand = timezone.localtime(demande.decide_le).strftime("%d/%m/%Y à %H:%M") if demande.decide_le else ""
    return ValidationError(
        f"Cette demande est déjà « {demande.get_etat_display().lower()} » (par {qui} le {quand}) : "
        "votre décision n'a pas été enregistrée."
    )


@transaction.atomic
def demande_versement_accepter(
    *, demande_versement_id: int, par: User, rejets: dict[int, str] | None = None, commentaire: str = ""
) -> DemandeVersement:
    """Accept fully or partly: rejected lines with their motive; the retained amount becomes a
    Versement (ceiling kept by the trigger), marked « contrôlé » (service fait)."""
    rejets = {int(k): (v or "").strip() for k, v in (rejets or {}).items()}
    convention, demande = _demande_verrouillee(demande_versement_id)
    if demande.etat not in MACHINE_DEMANDE_VERSEMENT.actions["accepter"]:
        if demande.etat == Etat.COMPLEMENT:
            raise ValidationError("Un complément est demandé : attendez la réponse de l'entreprise.")
        raise _deja_decidee(demande)
    lignes = list(demande.lignes.all())
    for ligne in lignes:
        if ligne.pk in rejets:
            if not rejets[ligne.pk]:
                raise ValidationError(f"Indiquez le motif du rejet de la facture {ligne.numero_facture}.")
            ligne.retenue = False
            ligne.motif_rejet = rejets[ligne.pk][:500]
        else:
            ligne.retenue = True
            ligne.motif_rejet = ""
    if demande.type == "solde":
        rapport = RapportFinal.objects.filter(convention=convention).first()
        if rapport is None or rapport.etat != RapportFinal.Etat.VALIDE:
            raise ValidationError("Validez d'abord le rapport final de l'entreprise : le solde en dépend.")
    calcul = calculer(convention, demande, lignes)
    if calcul.montant <= 0:
        raise ValidationError("Aucun montant n'est retenu : refusez la demande avec un motif.")
    DepenseJustifiee.objects.bulk_update(lignes, ["retenue", "motif_rejet"])
    versement = versement_creer(
        convention_id=convention.pk,
        par=par,
        type=demande.type,
        montant=calcul.montant,
        commentaire=f"Demande de versement de l'entreprise n° {demande.pk}. {commentaire}".strip(),
    )
    versement = versement_avancer(versement_id=versement.pk, par=par)  # service fait: contrôlé
    demande.etat = Etat.ACCEPTEE
    demande.versement = versement
    demande.montant_retenu = calcul.montant
    demande.depenses_retenues = calcul.retenues
    demande.motif = commentaire
    demande.decide_le = timezone.now()
    demande.decide_par = par
    demande.full_clean()
    demande.save()
    rejetees = [ligne for ligne in lignes if not ligne.retenue]
    _notifier_entreprise(demande, "paiement_demande_etape", evenement="acceptee", rejetees=rejetees)
    return demande


@transaction.atomic
def demande_versement_complement(
    *, demande_versement_id: int, par: User, texte: str, pieces: list[FichierVerifie] | None = None
) -> DemandeVersement:
    _convention, demande = _demande_verrouillee(demande_versement_id)
    if demande.etat not in MACHINE_DEMANDE_VERSEMENT.actions["demander_complement"]:
        raise _deja_decidee(demande)
    if not texte.strip():
        raise ValidationError({"texte": "Écrivez ce qui manque à l'entreprise."})
    echange = EchangeVersement.objects.create(
        demande_versement=demande, sens=EchangeVersement.Sens.SAF, auteur=par, texte=texte.strip()
    )
    for verifie in pieces or []:
        piece_ajouter(demande=demande, verifie=verifie, par=par, echange=echange)
    demande.etat = Etat.COMPLEMENT
    demande.motif = texte.strip()
    demande.save(update_fields=["etat", "motif"])
    _notifier_entreprise(demande, "paiement_demande_etape", evenement="complement", texte=texte.strip())
    return demande


@transaction.atomic
def demande_versement_refuser(*, demande_versement_id: int, par: User, motif: str) -> DemandeVersement:
    _convention, demande = _demande_verrouillee(demande_versement_id)
    if demande.etat not in MACHINE_DEMANDE_VERSEMENT.actions["refuser"]:
        raise _deja_decidee(demande)
    if not motif.strip():
        raise ValidationError({"motif": "Motivez le refus : l'entreprise le reçoit par courriel."})
    demande.etat = Etat.REFUSEE
    demande.motif = motif.strip()
    demande.decide_le = timezone.now()
    demande.decide_par = par
    demande.save(update_fields=["etat", "motif", "decide_le", "decide_par"])
    _notifier_entreprise(demande, "paiement_demande_etape", evenement="refusee")
    return demande


def versement_paye_notifier(versement: Versement) -> None:
    """Called by versement_avancer when a payment made from a company's request is paid."""
    demande = DemandeVersement.objects.filter(versement=versement).select_related("convention").first()
    if demande:
        _notifier_entreprise(demande, "paiement_demande_etape", evenement="payee", versement=versement)
