from datetime import timedelta

from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from stdnum.fr import siret as stdnum_siret

from aides.demandes.models.espace import Membre
from crm import services as crm_services
from crm.models import Entreprise, Etablissement
from crm.referentiels import valider_sans_balise
from portal.models import User
from portal.roles import Role
from portal.services import notification_creer
from portal.verification import FichierVerifie
from territoires.selectors import commune_resoudre

SEL_VERIFICATION = "aides.espace.verification-email"


VALIDITE_VERIFICATION = timedelta(days=3)


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
    """The commune typed at sign-up (name and postal code), or None; among homonyms the most populated."""
    if not (nom or "").strip():
        return None
    trouvee = commune_resoudre(f"{nom} {code_postal or ''}")
    return trouvee.commune or (trouvee.candidates or [None])[0]


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
    from aides.demandes.services.comptes import rattachement_creer  # here: at the top it would close an import cycle

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
