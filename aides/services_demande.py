"""Writes of the applications: company accounts, drafts, deposit, instruction and decisions.

Every service checks its rules, writes in one transaction and schedules its side effects (emails
through the outbox, the receipt PDF) after commit.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from stdnum.fr import siret as stdnum_siret

from crm.models import Entreprise, Etablissement
from crm.referentiels import valider_sans_balise
from portal.destinataires import destinataires_avec_repli
from portal.fichiers import enregistrer_avec_fichier
from portal.models import User
from portal.roles import Role
from portal.services import notification_creer
from portal.templatetags.portail import format_euros
from portal.travaux import travail_demander
from portal.verification import FichierVerifie

from .accompagnement import accompagnement_noter
from .models import (
    TRANSITIONS_PERMISES,
    Annotation,
    DeclarationDeMinimis,
    Demande,
    Dispositif,
    LigneDepense,
    Membre,
    Message,
    PieceJointe,
    Statut,
    Transition,
)
from .referentiels import RegimeAide

PLAFOND_DE_MINIMIS = Decimal("300000")
SEL_VERIFICATION = "aides.espace.verification-email"
VALIDITE_VERIFICATION = timedelta(days=3)


class ConflitDeVersion(Exception):
    """Somebody else changed the application since the form was displayed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def date_fr(jour: date) -> str:
    return jour.strftime("%d/%m/%Y")


# --- Company accounts ---------------------------------------------------------------------------


def siret_normaliser(valeur: str) -> str:
    return "".join(c for c in (valeur or "") if c.isdigit())


def siret_verifier(valeur: str) -> str:
    siret = siret_normaliser(valeur)
    if len(siret) != 14:
        raise ValidationError({"siret": "Le SIRET compte exactement 14 chiffres (par exemple 732 829 320 00074)."})
    if not stdnum_siret.is_valid(siret):
        raise ValidationError({"siret": "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez-le."})
    return siret


def _verifier_sans_balise(**champs: str) -> None:
    """Names are plain text (the user model does not check it, the CRM does): refuse a tag here,
    under the form's field names, rather than let the CRM raise it under its own."""
    erreurs = {}
    for nom, valeur in champs.items():
        try:
            valider_sans_balise(valeur)
        except ValidationError as erreur:
            erreurs[nom] = erreur.messages
    if erreurs:
        raise ValidationError(erreurs)


def _etablissement_trouver_ou_creer(
    *, siret: str, raison_sociale: str, adresse: str = "", code_postal: str = "", commune=None
) -> tuple[Etablissement, bool]:
    """The CRM establishment of this SIRET, or a new one (and its company) with the address typed
    at sign-up: the application and the convention need the commune and the address."""
    from crm import services as crm_services

    etablissement = Etablissement.objects.select_related("entreprise").filter(siret=siret).first()
    if etablissement:
        return etablissement, False
    erreurs = {}
    if not adresse.strip():
        erreurs["adresse"] = "Votre établissement n'est pas encore connu de la Région : indiquez son adresse."
    if commune is None:
        erreurs["commune"] = (
            "Votre établissement n'est pas encore connu de la Région : indiquez sa commune (et son code postal)."
        )
    if erreurs:
        raise ValidationError(erreurs)
    entreprise = Entreprise.objects.filter(siren=siret[:9]).first()
    if entreprise is None:
        entreprise = crm_services.entreprise_creer(
            siren=siret[:9], denomination=raison_sociale or f"Entreprise {siret[:9]}"
        )
    etablissement = crm_services.etablissement_creer(
        entreprise=entreprise, siret=siret, adresse=adresse.strip(), code_postal=code_postal.strip(), commune=commune
    )
    return etablissement, True


def commune_trouver(*, code_postal: str, nom: str):
    """The commune typed at sign-up (name and postal code), or None."""
    from territoires.models import Commune

    nom = (nom or "").strip()
    if not nom:
        return None
    communes = Commune.objects.filter(nom__iexact=nom)
    if code_postal.strip():
        communes = communes.filter(codes_postaux__contains=code_postal.strip())
    return communes.order_by("-population").first()


def suite_valide(suite: str | None) -> str:
    """Where to go after confirming the email: only a page of the company space (no open redirect)."""
    if suite and suite.startswith("/espace/") and "//" not in suite and "\\" not in suite:
        return suite
    return ""


def lien_verification(user: User, suite: str = "") -> str:
    jeton = signing.dumps({"u": user.pk, "e": user.email, "n": suite_valide(suite)}, salt=SEL_VERIFICATION)
    return reverse("espace:verifier-email", args=[jeton])


def verification_envoyer(*, user: User, suite: str = "") -> None:
    notification_creer(gabarit="compte_verifier", destinataire=user, contexte={"lien": lien_verification(user, suite)})


def _verrou_transaction(cle: str) -> None:
    """A PostgreSQL advisory lock held until the end of the current transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [cle])


@transaction.atomic
def compte_inscrire(
    *,
    email: str,
    mot_de_passe: str,
    siret: str,
    prenom: str = "",
    nom: str = "",
    raison_sociale: str = "",
    adresse: str = "",
    code_postal: str = "",
    commune_nom: str = "",
    justificatif: FichierVerifie | None = None,
    suite: str = "",
) -> Membre | None:
    """Create a company account with an attachment request (never access: see services_comptes).

    The email is verified by a link sent through the outbox. If the address already has an account
    (a company's or an agent's), nothing is created and its owner is told by email: the page shown
    is the same, so that sign-up does not reveal which addresses have an account. Returns None then.
    """
    from .services_comptes import rattachement_creer

    siret = siret_verifier(siret)
    _verifier_sans_balise(prenom=prenom, nom=nom, raison_sociale=raison_sociale, adresse=adresse)
    email = User.objects.normalize_email(email).lower()
    # Two sign-ups at once with the same email or the same unknown company: the second waits for
    # the first, then finds its account or its company (instead of a unique-constraint error).
    _verrou_transaction(f"inscription:email:{email}")
    _verrou_transaction(f"inscription:siren:{siret[:9]}")
    existant = User.objects.filter(email__iexact=email).first()
    if existant is not None:
        notification_creer(
            gabarit="compte_inscription_existante",
            destinataire=existant,
            contexte={"lien_connexion": reverse("connexion"), "lien_mdp": reverse("mdp-oublie")},
        )
        return None
    commune = commune_trouver(code_postal=code_postal, nom=commune_nom)
    if commune_nom.strip() and commune is None:
        cp = f" de code postal {code_postal.strip()}" if code_postal.strip() else ""
        raise ValidationError(
            {
                "commune": f"Aucune commune « {commune_nom.strip()} »{cp} dans les Hauts-de-France. "
                "Vérifiez le nom et le code postal."
            }
        )
    etablissement, _cree = _etablissement_trouver_ou_creer(
        siret=siret, raison_sociale=raison_sociale, adresse=adresse, code_postal=code_postal, commune=commune
    )
    user = User(email=email, first_name=prenom, last_name=nom)
    user.set_password(mot_de_passe)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=Role.ENTREPRISE.value)[0])
    membre = rattachement_creer(utilisateur=user, etablissement=etablissement, justificatif=justificatif)
    verification_envoyer(user=user, suite=suite)
    return membre


@transaction.atomic
def email_verifier(*, jeton: str) -> tuple[User, str]:
    """Confirm the email; return the user and the page of the space to go to next ("" if none)."""
    try:
        donnees = signing.loads(jeton, salt=SEL_VERIFICATION, max_age=VALIDITE_VERIFICATION)
    except signing.SignatureExpired as erreur:
        raise ValidationError("Ce lien a expiré (il est valable trois jours). Demandez-en un nouveau.") from erreur
    except signing.BadSignature as erreur:
        raise ValidationError(
            "Ce lien de confirmation n'est pas valide. Copiez-le en entier depuis le message."
        ) from erreur
    user = User.objects.filter(pk=donnees.get("u"), email=donnees.get("e")).first()
    if user is None or not user.adhesions.exists():
        raise ValidationError("Ce lien de confirmation ne correspond à aucun compte.")
    Membre.objects.filter(utilisateur=user, email_verifie_le=None).update(email_verifie_le=timezone.now())
    return user, suite_valide(donnees.get("n"))


# --- Drafts ------------------------------------------------------------------------------------


def verifier_ouvert(dispositif: Dispositif, le: date) -> None:
    if dispositif.depot_externe:
        raise ValidationError(
            f"Le dispositif « {dispositif.nom} » se demande sur le site de son opérateur "
            f"({dispositif.url_depot_externe}), pas sur le portail."
        )
    if dispositif.statut != Dispositif.Statut.PUBLIE or not dispositif.est_ouvert(le):
        if dispositif.date_cloture and dispositif.date_cloture < le:
            raise ValidationError(
                f"Le dispositif « {dispositif.nom} » est clos depuis le {date_fr(dispositif.date_cloture)} : "
                "il n'accepte plus de demandes."
            )
        if dispositif.date_ouverture and dispositif.date_ouverture > le:
            raise ValidationError(
                f"Le dispositif « {dispositif.nom} » ouvre le {date_fr(dispositif.date_ouverture)} : "
                "vous pourrez déposer votre demande à partir de cette date."
            )
        raise ValidationError(f"Le dispositif « {dispositif.nom} » n'accepte pas de demandes.")


@transaction.atomic
def demande_creer(*, dispositif: Dispositif, membre: Membre, jeton: uuid.UUID | None = None) -> Demande:
    """A new draft. `jeton` is the token of the new-application form (one per display of the form):
    the same form posted again (a double click on « Déposer » without JavaScript, a resent request)
    gets the application its first post created, whatever its state since, so that it is deposited
    once. The unique constraint on the token makes two simultaneous posts agree on one row.
    Without a token (a script, an old form), a new draft every time. A lecteur, or an attachment
    refused or withdrawn, creates nothing."""
    if not membre.peut_deposer:
        raise ValidationError("Votre rôle dans le compte de l'entreprise ne permet pas de préparer une demande.")
    if jeton is not None:
        deja = Demande.objects.select_related("dispositif", "etablissement").filter(jeton_creation=jeton).first()
        if deja is not None:
            if _cree_par(deja, dispositif=dispositif, membre=membre):
                return deja
            jeton = None  # a token copied from someone else's form: ignore it
    verifier_ouvert(dispositif, timezone.localdate())
    if jeton is None:
        return _brouillon_creer(dispositif=dispositif, membre=membre)
    try:
        with transaction.atomic():
            return _brouillon_creer(dispositif=dispositif, membre=membre, jeton=jeton)
    except IntegrityError:
        # Another post of the same form inserted the token first: this insert waited for its commit.
        deja = Demande.objects.select_related("dispositif", "etablissement").filter(jeton_creation=jeton).first()
        if deja is None or not _cree_par(deja, dispositif=dispositif, membre=membre):
            raise
        return deja


def _cree_par(demande: Demande, *, dispositif: Dispositif, membre: Membre) -> bool:
    return demande.demandeur_id == membre.utilisateur_id and demande.dispositif_id == dispositif.pk


def _brouillon_creer(*, dispositif: Dispositif, membre: Membre, jeton: uuid.UUID | None = None) -> Demande:
    demande = Demande(
        dispositif=dispositif,
        etablissement=membre.etablissement,
        demandeur=membre.utilisateur,
        jeton_creation=jeton,
    )
    demande.full_clean(exclude=["jeton_creation"])  # the database's unique constraint decides (see above)
    demande.save()
    return demande


def _verifier_brouillon(demande: Demande) -> None:
    if demande.statut != Statut.BROUILLON:
        raise ValidationError(
            f"Cette demande est {demande.get_statut_display().lower()} : elle ne peut plus être modifiée."
        )


@dataclass
class LigneSaisie:
    nature: str
    montant_ht: Decimal


@dataclass
class DeclarationSaisie:
    organisme: str
    date_octroi: date
    montant: Decimal


@transaction.atomic
def demande_enregistrer(
    *,
    demande: Demande,
    champs: dict,
    lignes: list[LigneSaisie] | None = None,
    declarations: list[DeclarationSaisie] | None = None,
) -> Demande:
    """Save the draft as typed: no completeness rule here (that is the deposit's job)."""
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    _verifier_brouillon(demande)
    for nom, valeur in champs.items():
        setattr(demande, nom, valeur)
    demande.full_clean()
    demande.save()
    if lignes is not None:
        demande.lignes.all().delete()
        LigneDepense.objects.bulk_create(
            [
                LigneDepense(demande=demande, nature=ligne.nature, montant_ht=ligne.montant_ht, ordre=i)
                for i, ligne in enumerate(lignes)
            ]
        )
    if declarations is not None:
        demande.declarations_de_minimis.all().delete()
        entreprise_id = demande.etablissement.entreprise_id
        for saisie in declarations:
            declaration = DeclarationDeMinimis(
                entreprise_id=entreprise_id,
                demande=demande,
                organisme=saisie.organisme,
                date_octroi=saisie.date_octroi,
                montant=saisie.montant,
            )
            declaration.full_clean()
            declaration.save()
    return demande


@transaction.atomic
def piece_ajouter(
    *, demande: Demande, verifie: FichierVerifie, par: User, type_piece: str = PieceJointe.AUTRE, message=None
) -> PieceJointe:
    """Attach a checked file. For a required document, the new file replaces the previous one.

    Quotas (count and total size) per application and per company account: checked under a lock of
    the company's row, so two uploads at once cannot both pass the last free place."""
    if message is None:
        _verifier_brouillon(demande)
    Entreprise.objects.select_for_update().filter(pk=demande.etablissement.entreprise_id).first()
    remplacees = (
        list(demande.pieces.filter(type_piece=type_piece, message=None))
        if message is None and type_piece != PieceJointe.AUTRE
        else []
    )
    quotas_verifier(demande=demande, ajout=verifie.taille, remplacees=remplacees)
    for ancienne in remplacees:
        ancienne.fichier.delete(save=False)
        ancienne.delete()
    piece = PieceJointe(
        demande=demande,
        message=message,
        type_piece=type_piece,
        nom_original=verifie.nom_original,
        taille=verifie.taille,
        type_mime=verifie.type_mime,
        sha256=verifie.sha256,
        depose_par=par,
    )
    enregistrer_avec_fichier(piece, nom=verifie.nom_original, contenu=verifie.fichier)
    return piece


def quotas_verifier(*, demande: Demande, ajout: int, remplacees: list[PieceJointe]) -> None:
    """Raise a French ValidationError if one more file of `ajout` bytes passes a quota."""
    from django.conf import settings
    from django.db.models import Count, Sum

    from portal.verification import taille_lisible

    ignorees = [p.pk for p in remplacees]
    pieces = PieceJointe.objects.exclude(pk__in=ignorees)
    par_demande = pieces.filter(demande=demande).aggregate(n=Count("pk"), octets=Sum("taille"))
    par_compte = pieces.filter(demande__etablissement__entreprise_id=demande.etablissement.entreprise_id).aggregate(
        n=Count("pk"), octets=Sum("taille")
    )
    for quotas, (nombre, octets), portee in (
        (settings.UPLOAD_QUOTA_DEMANDE, (par_demande["n"], par_demande["octets"] or 0), "cette demande"),
        (settings.UPLOAD_QUOTA_COMPTE, (par_compte["n"], par_compte["octets"] or 0), "le compte de l'entreprise"),
    ):
        max_fichiers, max_octets = quotas
        if nombre + 1 > max_fichiers:
            raise ValidationError(
                f"Vous avez déjà déposé {nombre} fichiers pour {portee} : c'est le maximum. Retirez un "
                "document inutile ou regroupez plusieurs pages dans un seul PDF.",
                code="quota",
            )
        if octets + ajout > max_octets:
            raise ValidationError(
                f"Les fichiers déposés pour {portee} pèsent déjà {taille_lisible(octets)} : ce fichier "
                f"dépasserait le maximum de {taille_lisible(max_octets)}. Retirez un document inutile ou "
                "réduisez la taille du fichier (PDF compressé).",
                code="quota",
            )


@transaction.atomic
def piece_supprimer(*, piece: PieceJointe) -> None:
    _verifier_brouillon(piece.demande)
    piece.fichier.delete(save=False)
    piece.delete()


# --- Deposit -----------------------------------------------------------------------------------


def numero_depot_generer(le: date) -> str:
    """2026-000123: year of deposit and a PostgreSQL sequence (no gap-free promise, no duplicates)."""
    with connection.cursor() as curseur:
        curseur.execute("SELECT nextval('aides_demande_numero_depot_seq')")
        (valeur,) = curseur.fetchone()
    return f"{le.year}-{valeur:06d}"


def erreurs_depot(demande: Demande, le: date) -> list[str]:
    """Every reason the application cannot be deposited on that day, in French (empty: it can)."""
    erreurs = []
    try:
        verifier_ouvert(demande.dispositif, le)
    except ValidationError as erreur:
        erreurs.extend(erreur.messages)
    if not demande.intitule.strip():
        erreurs.append("Donnez un intitulé à votre projet.")
    if not demande.projet.strip():
        erreurs.append("Décrivez votre projet.")
    if demande.date_debut_projet is None:
        erreurs.append("Indiquez la date de début du projet.")
    elif demande.date_debut_projet < le:
        erreurs.append(
            f"Le projet a commencé le {date_fr(demande.date_debut_projet)}, avant le dépôt de la demande "
            f"(le {date_fr(le)}) : une aide doit avoir un effet incitatif, le projet ne peut pas avoir "
            "commencé avant le dépôt."
        )
    lignes = list(demande.lignes.all())
    if not lignes:
        erreurs.append("Ajoutez au moins une ligne au tableau des dépenses.")
    if not demande.montant_demande:
        erreurs.append("Indiquez le montant demandé.")
    else:
        total = sum((ligne.montant_ht for ligne in lignes), Decimal(0))
        if lignes and demande.montant_demande > total:
            erreurs.append(
                f"Le montant demandé ({format_euros(demande.montant_demande)}) dépasse le total des dépenses "
                f"({format_euros(total)})."
            )
        plafond = demande.dispositif.montant_max
        if plafond is not None and demande.montant_demande > plafond:
            erreurs.append(
                f"Le montant demandé ({format_euros(demande.montant_demande)}) dépasse le maximum du dispositif "
                f"({format_euros(plafond)})."
            )
    fournies = set(demande.pieces.filter(message=None).values_list("type_piece", flat=True))
    for piece in demande.dispositif.documents_requis:
        if piece not in fournies:
            erreurs.append(f"Pièce manquante : {piece}.")
    if demande.dispositif.regime == RegimeAide.DE_MINIMIS and not demande.declaration_de_minimis_faite:
        erreurs.append(
            "Cette aide relève du régime de minimis : déclarez les aides de minimis reçues ces trois dernières "
            "années (ou cochez qu'il n'y en a pas) puis confirmez la déclaration."
        )
    return erreurs


def _transition(demande: Demande, *, vers: str, par: User | None, motif: str = "", public: bool = True) -> Transition:
    de = demande.statut
    if vers not in TRANSITIONS_PERMISES[de]:
        raise ValidationError(
            f"Une demande {Statut(de).label.lower()} ne peut pas passer à l'état « {Statut(vers).label.lower()} »."
        )
    transition = Transition(demande=demande, de=de, vers=vers, par=par, motif=motif, public=public)
    transition.full_clean()
    transition.save()
    demande.statut = vers
    demande.version += 1
    return transition


def _verifier_deposant(demande: Demande, par: User) -> None:
    """A verified membre or administrateur of the company deposits its drafts; a requester whose
    attachment is still to verify, only their own; a lecteur, nothing."""
    membre = Membre.objects.actifs().filter(utilisateur=par, entreprise_id=demande.etablissement.entreprise_id).first()
    if membre is None or not membre.peut_deposer or (not membre.est_verifie and demande.demandeur_id != par.pk):
        raise PermissionDenied("Seul un membre du compte de l'entreprise dépose ses demandes.")


def rattachement_verifie(demande: Demande) -> bool:
    """Whether the applicant's attachment to the company is verified (a grant needs it)."""
    return (
        Membre.objects.verifies()
        .filter(utilisateur_id=demande.demandeur_id, entreprise_id=demande.etablissement.entreprise_id)
        .exists()
    )


@transaction.atomic
def demande_deposer(*, demande_id: int, par: User) -> tuple[Demande, bool]:
    """Deposit the draft. Returns (demande, deposited_now): a second click finds it already
    deposited (the row lock makes the second transaction wait for the first) and changes nothing."""
    demande = (
        Demande.objects.select_for_update(of=("self",)).select_related("dispositif", "etablissement").get(pk=demande_id)
    )
    if demande.statut != Statut.BROUILLON:
        return demande, False
    _verifier_deposant(demande, par)
    maintenant = timezone.now()
    le = timezone.localdate(maintenant)
    erreurs = erreurs_depot(demande, le)
    if erreurs:
        raise ValidationError(erreurs)
    _transition(demande, vers=Statut.DEPOSEE, par=par, motif="Demande déposée en ligne.")
    demande.numero_depot = numero_depot_generer(le)
    demande.depose_le = maintenant
    demande.full_clean()
    demande.save()
    travail_demander("aides.recepisse.recepisse_generer", demande_id=demande.pk)
    accompagnement_noter(demande.etablissement.entreprise_id)
    _notifier_entreprise(demande, "demande_deposee")
    for agent in destinataires_agents(demande):
        notification_creer(gabarit="demande_nouvelle", destinataire=agent, contexte=_contexte(demande))
    return demande, True


# --- Notifications -----------------------------------------------------------------------------


def _contexte(demande: Demande, **extra) -> dict:
    return {
        "demande": demande,
        "dispositif": demande.dispositif,
        "lien_espace": reverse("espace:demande", args=[demande.pk]),
        "lien_instruction": reverse("aides_instruction:demande", args=[demande.pk]),
        **extra,
    }


def _notifier_entreprise(demande: Demande, gabarit: str, **extra) -> None:
    notification_creer(gabarit=gabarit, destinataire=demande.demandeur, contexte=_contexte(demande, **extra))


def destinataires_agents(demande: Demande) -> list[User | str]:
    """The assigned instructeur, otherwise the instructeurs of the dispositif's direction, otherwise
    the direction's shared mailbox, otherwise pilotage (portal.destinataires)."""
    if demande.instructeur_id and demande.instructeur.est_agent:
        return [demande.instructeur]
    instructeurs = list(
        User.objects.agents()
        .filter(direction_id=demande.dispositif.direction_id, groups__name=Role.INSTRUCTEUR.value)
        .distinct()
    )
    # Nobody may be left unaware of a new file: the direction's mailbox, else pilotage.
    return destinataires_avec_repli(personnes=instructeurs, direction=demande.dispositif.direction).destinataires


# --- Instruction -------------------------------------------------------------------------------


def _verrouiller(demande_id: int, version: int) -> Demande:
    """Lock the row and check nobody changed it since the agent's page was displayed."""
    demande = (
        Demande.objects.select_for_update(of=("self",))
        .select_related("dispositif", "etablissement__entreprise", "demandeur", "instructeur")
        .get(pk=demande_id)
    )
    if demande.version != version:
        derniere = demande.transitions.select_related("par").order_by("-le", "-pk").first()
        qui = f" par {derniere.par} le {timezone.localtime(derniere.le):%d/%m/%Y à %H:%M}" if derniere else ""
        raise ConflitDeVersion(
            f"Cette demande a été modifiée{qui} pendant que vous la consultiez (elle est maintenant "
            f"« {demande.get_statut_display().lower()} »). Votre action n'a pas été enregistrée : "
            "relisez la demande puis recommencez si besoin."
        )
    return demande


@transaction.atomic
def demande_assigner(*, demande_id: int, version: int, instructeur: User | None, par: User) -> Demande:
    demande = _verrouiller(demande_id, version)
    if instructeur is not None and not (instructeur.est_agent and instructeur.a_role(Role.INSTRUCTEUR)):
        raise ValidationError("Choisissez un agent qui a le rôle d'instructeur.")
    demande.instructeur = instructeur
    demande.version += 1
    demande.save(update_fields=["instructeur", "version", "modifie_le"])
    return demande


@transaction.atomic
def instruction_commencer(*, demande_id: int, version: int, par: User) -> Demande:
    demande = _verrouiller(demande_id, version)
    _transition(demande, vers=Statut.EN_INSTRUCTION, par=par, motif="Instruction commencée.")
    if demande.instructeur_id is None:
        demande.instructeur = par
    demande.save(update_fields=["statut", "version", "instructeur", "modifie_le"])
    return demande


@transaction.atomic
def complement_demander(*, demande_id: int, version: int, par: User, texte: str) -> Message:
    if not texte.strip():
        raise ValidationError({"texte": "Écrivez ce que l'entreprise doit fournir."})
    demande = _verrouiller(demande_id, version)
    _transition(demande, vers=Statut.COMPLEMENT_DEMANDE, par=par, motif=texte)
    demande.save(update_fields=["statut", "version", "modifie_le"])
    message = Message(
        demande=demande,
        genre=Message.Genre.DEMANDE_COMPLEMENT,
        auteur=par,
        texte=texte,
        repondre_avant=timezone.localdate() + timedelta(days=settings.COMPLEMENT_DELAI_JOURS),
    )
    message.full_clean()
    message.save()
    _notifier_entreprise(demande, "demande_complement", message=message)
    return message


# Days before a complement request's deadline at which the company is reminded.
JOURS_RAPPEL_COMPLEMENT = 3


def complements_rappeler(*, aujourd_hui: date | None = None) -> int:
    """Remind the company of each unanswered complement request whose deadline is near, once (the
    message is claimed by a conditional update). Returns how many reminders were written."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    a_rappeler = Message.objects.filter(
        genre=Message.Genre.DEMANDE_COMPLEMENT,
        rappel_envoye_le__isnull=True,
        repondre_avant__lte=aujourd_hui + timedelta(days=JOURS_RAPPEL_COMPLEMENT),
        demande__statut=Statut.COMPLEMENT_DEMANDE,
    ).values_list("pk", flat=True)
    envoyes = 0
    for pk in list(a_rappeler):
        with transaction.atomic():
            if not Message.objects.filter(pk=pk, rappel_envoye_le__isnull=True).update(rappel_envoye_le=timezone.now()):
                continue  # another run sent it
            message = Message.objects.select_related("demande__dispositif", "demande__demandeur").get(pk=pk)
            if message.demande.messages.filter(genre=Message.Genre.REPONSE, cree_le__gt=message.cree_le).exists():
                continue
            _notifier_entreprise(message.demande, "demande_complement_rappel", message=message)
            envoyes += 1
    return envoyes


@transaction.atomic
def complement_repondre(
    *, demande_id: int, par: User, texte: str, fichiers: list[FichierVerifie], remplacees: list[int] = ()
) -> Message:
    """The company's answer: text and files, which may replace documents of the file (`remplacees`:
    their ids; kept and marked « remplacée »); the application goes back to instruction."""
    if not texte.strip() and not fichiers:
        raise ValidationError({"texte": "Écrivez une réponse ou joignez au moins un fichier."})
    demande = (
        Demande.objects.select_for_update(of=("self",)).select_related("dispositif", "instructeur").get(pk=demande_id)
    )
    if demande.statut != Statut.COMPLEMENT_DEMANDE:
        raise ValidationError("Aucun complément n'est attendu sur cette demande : votre réponse n'a pas été envoyée.")
    remplacees = {int(pk) for pk in remplacees}
    if remplacees:
        if not fichiers:
            raise ValidationError({"remplacer": "Joignez le nouveau document qui remplace l'ancien."})
        valides = set(
            demande.pieces.filter(pk__in=remplacees, message=None, remplacee_par=None).values_list("pk", flat=True)
        )
        if valides != remplacees:
            raise ValidationError({"remplacer": "Un document à remplacer n'appartient pas à ce dossier."})
    message = Message(demande=demande, genre=Message.Genre.REPONSE, auteur=par, texte=texte)
    message.full_clean()
    message.save()
    for verifie in fichiers:
        piece_ajouter(demande=demande, verifie=verifie, par=par, message=message)
    if remplacees:
        PieceJointe.objects.filter(pk__in=remplacees).update(remplacee_par=message)
    _transition(demande, vers=Statut.EN_INSTRUCTION, par=par, motif="Réponse de l'entreprise reçue.")
    demande.save(update_fields=["statut", "version", "modifie_le"])
    for agent in destinataires_agents(demande):
        notification_creer(gabarit="demande_reponse", destinataire=agent, contexte=_contexte(demande, message=message))
    return message


@transaction.atomic
def annotation_ajouter(*, demande: Demande, par: User, texte: str) -> Annotation:
    annotation = Annotation(demande=demande, auteur=par, texte=texte)
    annotation.full_clean()
    annotation.save()
    return annotation


def debut_periode_de_minimis(le: date) -> date:
    """First day of the rolling three-year period ending on `le` (regulation (EU) 2023/2831, art. 3)."""
    try:
        il_y_a_trois_ans = le.replace(year=le.year - 3)
    except ValueError:  # 29 February
        il_y_a_trois_ans = le.replace(year=le.year - 3, day=28)
    return il_y_a_trois_ans + timedelta(days=1)


def _taux_depasse(demande: Demande, montant_accorde: Decimal) -> str:
    """The French error when the amount exceeds the dispositif's maximum rate of the expenses, else ""."""
    taux_max = demande.dispositif.taux_max
    if taux_max is None:
        return ""
    depenses = demande.total_depenses()
    plafond = (depenses * taux_max / 100).quantize(Decimal("0.01"))
    if montant_accorde <= plafond:
        return ""
    return (
        f"Le montant accordé ({format_euros(montant_accorde)}) dépasse le taux maximum du dispositif "
        f"({taux_max.normalize():f}\u00a0% de {format_euros(depenses)} de dépenses, soit {format_euros(plafond)} "
        "au plus)."
    )


@transaction.atomic
def demande_decider(
    *,
    demande_id: int,
    version: int,
    par: User,
    decision: str,
    motif: str,
    montant_accorde: Decimal | None = None,
    date_commission: date | None = None,
    numero_deliberation: str = "",
) -> Demande:
    if decision not in {Statut.ACCORDEE, Statut.REFUSEE, Statut.SANS_SUITE}:
        raise ValidationError({"decision": "Choisissez une décision : accordée, refusée ou sans suite."})
    demande = _verrouiller(demande_id, version)
    erreurs: dict[str, str] = {}
    if not motif.strip():
        erreurs["motif"] = "Motivez la décision : le motif est communiqué à l'entreprise."
    if decision == Statut.ACCORDEE:
        if montant_accorde is None or montant_accorde <= 0:
            erreurs["montant_accorde"] = "Indiquez le montant accordé."
        elif demande.montant_demande is not None and montant_accorde > demande.montant_demande:
            erreurs["montant_accorde"] = (
                f"Le montant accordé ({format_euros(montant_accorde)}) ne peut pas dépasser le montant demandé "
                f"({format_euros(demande.montant_demande)})."
            )
        if date_commission is None:
            erreurs["date_commission"] = "Indiquez la date de la commission permanente."
        elif date_commission > timezone.localdate():
            # The decision date is the de minimis reference date and is printed on the convention.
            erreurs["date_commission"] = (
                f"La date de la commission permanente ne peut pas être dans le futur ({date_fr(date_commission)}) : "
                "la décision est prise quand la commission s'est réunie."
            )
        if "montant_accorde" not in erreurs and montant_accorde is not None:
            if message := _taux_depasse(demande, montant_accorde):
                erreurs["montant_accorde"] = message
        if not numero_deliberation.strip():
            erreurs["numero_deliberation"] = "Indiquez le numéro de la délibération."
        if not rattachement_verifie(demande):
            erreurs["decision"] = (
                "Rattachement non vérifié : la personne qui a déposé cette demande n'est pas encore reconnue "
                "comme membre de l'entreprise. L'aide ne peut pas être accordée tant que son rattachement n'est "
                "pas vérifié (par un administrateur du compte de l'entreprise ou dans « Rattachements à vérifier »)."
            )
    if erreurs:
        raise ValidationError(erreurs)
    if decision == Statut.ACCORDEE and demande.dispositif.regime == RegimeAide.DE_MINIMIS:
        from .selectors_demande import de_minimis_situation

        # Two files of one company granted at the same time must not both fit under the ceiling:
        # the company's row serialises the grants, the second one counts the first.
        list(Entreprise.objects.select_for_update().filter(pk=demande.etablissement.entreprise_id).values("pk"))
        situation = de_minimis_situation(siren=demande.etablissement.entreprise.siren, le=date_commission)
        if situation.total + montant_accorde > PLAFOND_DE_MINIMIS:
            raise ValidationError(
                {
                    "montant_accorde": (
                        f"Plafond de minimis dépassé : l'entreprise (SIREN {situation.siren}) a déjà reçu "
                        f"{format_euros(situation.total)} d'aides de minimis du {date_fr(situation.debut)} au "
                        f"{date_fr(situation.fin)} ; avec {format_euros(montant_accorde)} de plus, le total serait "
                        f"de {format_euros(situation.total + montant_accorde)}, au-delà du plafond de "
                        f"{format_euros(PLAFOND_DE_MINIMIS)}. Montant maximal possible : "
                        f"{format_euros(situation.reste)}."
                    )
                }
            )
    _transition(demande, vers=decision, par=par, motif=motif)
    demande.motif_decision = motif
    demande.decidee_le = timezone.now()
    if decision == Statut.ACCORDEE:
        demande.montant_accorde = montant_accorde
        demande.date_commission = date_commission
        demande.numero_deliberation = numero_deliberation.strip()
    demande.full_clean()
    demande.save()
    accompagnement_noter(demande.etablissement.entreprise_id)
    _notifier_entreprise(demande, "demande_decision")
    return demande
