"""Demo company account with applications in several states. Idempotent; call from aides/demo.py:
`demo_demandes.charger(stdout)` after the catalogue (it needs published dispositifs)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import RegimeAide
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.models.espace import Invitation, Membre
from aides.demandes.services import demande as services
from aides.demandes.services.comptes import invitation_creer, rattachement_creer
from crm import services as crm_services
from crm.models import Entreprise, Etablissement
from portal.demo import MOT_DE_PASSE_DEMO
from portal.models import User
from portal.roles import Role
from portal.verification import fichier_verifier
from territoires.models import Commune

EMAIL_ENTREPRISE_DEMO = "dirigeante@atelier-demo.example.org"
EMAIL_INSTRUCTEUR_DEMO = "instructeur@demo.hautsdefrance.fr"
SIREN_DEMO = "99999999" + luhn.calc_check_digit("99999999")
SIRET_DEMO = SIREN_DEMO + "0001" + luhn.calc_check_digit(SIREN_DEMO + "0001")
PDF_DEMO = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _membre_demo() -> Membre:
    """The demo company's administrator, legal representative (Claire Picard)."""
    entreprise = Entreprise.objects.filter(siren=SIREN_DEMO).first() or crm_services.entreprise_creer(
        siren=SIREN_DEMO, denomination="Atelier Picard de démonstration (démo)", naf="25.62B", demo=True
    )
    etablissement = Etablissement.objects.filter(siret=SIRET_DEMO).first() or crm_services.etablissement_creer(
        entreprise=entreprise,
        siret=SIRET_DEMO,
        adresse="12 rue des Jacobins",
        code_postal="80000",
        commune=Commune.objects.filter(code_insee="80021").first(),
        siege=True,
        demo=True,
    )
    user, cree = User.objects.get_or_create(
        email=EMAIL_ENTREPRISE_DEMO, defaults={"first_name": "Claire", "last_name": "Picard (démo)"}
    )
    if cree:
        user.set_password(MOT_DE_PASSE_DEMO)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=Role.ENTREPRISE.value)[0])
    maintenant = timezone.now()
    membre, _ = Membre.objects.get_or_create(
        utilisateur=user,
        entreprise=entreprise,
        defaults={
            "etablissement": etablissement,
            "email_verifie_le": maintenant,
            "statut": Membre.Statut.VERIFIE,
            "role": Membre.Role.ADMINISTRATEUR,
            "capacite": Membre.Capacite.REPRESENTANT_LEGAL,
            "voie": Membre.Voie.DEMO,
            "verifie_le": maintenant,
            "demo": True,
        },
    )
    return membre


def _utilisateur_demo(email: str, prenom: str, nom: str) -> User:
    user, cree = User.objects.get_or_create(email=email, defaults={"first_name": prenom, "last_name": nom})
    if cree:
        user.set_password(MOT_DE_PASSE_DEMO)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=Role.ENTREPRISE.value)[0])
    return user


def _entreprise_demo(numero: int, denomination: str, code_insee: str) -> Etablissement:
    siren = f"9999999{numero}" + luhn.calc_check_digit(f"9999999{numero}")
    siret = siren + "0001" + luhn.calc_check_digit(siren + "0001")
    entreprise = Entreprise.objects.filter(siren=siren).first() or crm_services.entreprise_creer(
        siren=siren, denomination=denomination, demo=True
    )
    return Etablissement.objects.filter(siret=siret).first() or crm_services.etablissement_creer(
        entreprise=entreprise,
        siret=siret,
        adresse="1 place de la démonstration",
        commune=Commune.objects.filter(code_insee=code_insee).first(),
        siege=True,
        demo=True,
    )


def _adherer(user: User, etablissement: Etablissement, **champs) -> Membre:
    maintenant = timezone.now()
    champs.setdefault("statut", Membre.Statut.VERIFIE)
    verifie = champs["statut"] == Membre.Statut.VERIFIE
    membre, _ = Membre.objects.get_or_create(
        utilisateur=user,
        entreprise=etablissement.entreprise,
        defaults={
            "etablissement": etablissement,
            "email_verifie_le": maintenant,
            "voie": Membre.Voie.DEMO if verifie else "",
            "verifie_le": maintenant if verifie else None,
            "demo": True,
            **champs,
        },
    )
    return membre


def equipe_charger(stdout) -> None:
    """Company accounts with several members: roles, a delegate accountant who acts for two
    companies, and attachment requests waiting for staff (some with evidence). Idempotent."""
    titulaire = _membre_demo()
    etablissement = titulaire.etablissement
    aujourd_hui = timezone.localdate()
    _adherer(_utilisateur_demo("collegue@atelier-demo.example.org", "Julien", "Lefebvre (démo)"), etablissement)
    _adherer(
        _utilisateur_demo("lecture@atelier-demo.example.org", "Inès", "Moreau (démo)"),
        etablissement,
        role=Membre.Role.LECTEUR,
    )
    comptable = _utilisateur_demo("comptable@cabinet-demo.example.org", "Marc", "Dupont (démo, expert-comptable)")
    _adherer(
        comptable,
        etablissement,
        capacite=Membre.Capacite.DELEGATAIRE,
        delegation_de="Claire Picard, gérante (démo)",
        delegation_debut=aujourd_hui - timedelta(days=30),
        delegation_fin=aujourd_hui + timedelta(days=335),
    )
    seconde = _entreprise_demo(7, "Menuiserie Vasseur de démonstration (démo)", "59350")
    _adherer(
        comptable,
        seconde,
        role=Membre.Role.ADMINISTRATEUR,
        capacite=Membre.Capacite.DELEGATAIRE,
        delegation_de="Paul Vasseur, président (démo)",
        delegation_debut=aujourd_hui - timedelta(days=400),
        delegation_fin=aujourd_hui - timedelta(days=35),
    )
    sans_membre = _entreprise_demo(6, "Brasserie Lemaire de démonstration (démo)", "62041")
    justificatif = fichier_verifier(SimpleUploadedFile("kbis-demo.pdf", PDF_DEMO, content_type="application/pdf"))
    attentes = [
        ("inconnu@demo-rattachement.example.org", "Hugo", "Martin (démo, inconnu)", etablissement, None),
        ("gerant@brasserie-demo.example.org", "Léa", "Lemaire (démo)", sans_membre, justificatif),
        ("assistante@menuiserie-demo.example.org", "Zoé", "Caron (démo)", seconde, justificatif),
    ]
    for email, prenom, nom, lieu, piece in attentes:
        user = _utilisateur_demo(email, prenom, nom)
        if not Membre.objects.filter(utilisateur=user).exists():
            membre = rattachement_creer(utilisateur=user, etablissement=lieu, justificatif=piece)
            Membre.objects.filter(pk=membre.pk).update(demo=True, email_verifie_le=timezone.now())
    if not Invitation.objects.filter(demo=True).exists():
        invitation, _ = invitation_creer(
            entreprise_id=etablissement.entreprise_id,
            par=titulaire.utilisateur,
            email="nouvelle-recrue@atelier-demo.example.org",
            role=Membre.Role.MEMBRE,
        )
        Invitation.objects.filter(pk=invitation.pk).update(demo=True)
    stdout.write(
        f"  comptes entreprise de démonstration (mot de passe {MOT_DE_PASSE_DEMO}) : {EMAIL_ENTREPRISE_DEMO} "
        "(administratrice, représentante légale), collegue@atelier-demo.example.org (membre), "
        "lecture@atelier-demo.example.org (lecteur), comptable@cabinet-demo.example.org (délégataire, deux "
        f"entreprises) ; {Membre.objects.a_verifier().filter(demo=True).count()} rattachements à vérifier"
    )


def _brouillon(representant: Membre, dispositif: Dispositif, intitule: str, montant: int) -> Demande:
    demande = services.demande_creer(dispositif=dispositif, membre=representant)
    demande = services.demande_enregistrer(
        demande=demande,
        champs={
            "intitule": intitule,
            "projet": f"{intitule} : projet de démonstration.",
            "date_debut_projet": timezone.localdate() + timedelta(days=45),
            "montant_demande": Decimal(montant),
            "declaration_de_minimis_faite": dispositif.regime == RegimeAide.DE_MINIMIS,
            "demo": True,
        },
        lignes=[
            services.LigneSaisie(nature="Équipement de production", montant_ht=Decimal(montant * 3)),
            services.LigneSaisie(nature="Installation et formation", montant_ht=Decimal(montant)),
        ],
        declarations=[] if dispositif.regime == RegimeAide.DE_MINIMIS else None,
    )
    for piece in dispositif.documents_requis:
        nom = "piece-demo.pdf"
        services.piece_ajouter(
            demande=demande,
            verifie=fichier_verifier(SimpleUploadedFile(nom, PDF_DEMO)),
            par=representant.utilisateur,
            type_piece=piece,
        )
    return demande


@transaction.atomic
def charger(stdout) -> None:
    representant = _membre_demo()
    equipe_charger(stdout)
    if Demande.objects.filter(etablissement__entreprise=representant.entreprise).exists():
        stdout.write(f"  compte entreprise de démonstration {EMAIL_ENTREPRISE_DEMO} (demandes déjà présentes)")
        return
    candidats = Dispositif.objects.publies().ouverts().deposables_sur_portail()
    dispositifs = list(candidats.filter(montant_max__isnull=True)[:3]) or list(candidats[:3])
    if not dispositifs:
        stdout.write("  pas de dispositif ouvert : demandes de démonstration non créées")
        return
    instructeur = User.objects.filter(email=EMAIL_INSTRUCTEUR_DEMO).first()
    usager = representant.utilisateur

    def choisir(i: int) -> Dispositif:
        return dispositifs[i % len(dispositifs)]

    def montant(dispositif: Dispositif, voulu: int) -> int:
        return int(min(Decimal(voulu), dispositif.montant_max)) if dispositif.montant_max else voulu

    etats = []
    _brouillon(representant, choisir(0), "Robot de palettisation", montant(choisir(0), 15000))
    etats.append("brouillon")
    projets = [
        ("Extension de l'atelier", 40000, Statut.DEPOSEE),
        ("Ligne de découpe laser", 30000, Statut.EN_INSTRUCTION),
        ("Logiciel de gestion de production", 8000, Statut.COMPLEMENT_DEMANDE),
        ("Four de traitement thermique", 25000, Statut.ACCORDEE),
        ("Véhicule de livraison", 12000, Statut.REFUSEE),
    ]
    for i, (intitule, voulu, etat) in enumerate(projets, start=1):
        dispositif = choisir(i)
        demande = _brouillon(representant, dispositif, intitule, montant(dispositif, voulu))
        demande, _ = services.demande_deposer(demande_id=demande.pk, par=usager)
        if etat != Statut.DEPOSEE and instructeur:
            demande = services.instruction_commencer(demande_id=demande.pk, version=demande.version, par=instructeur)
            if etat == Statut.COMPLEMENT_DEMANDE:
                services.complement_demander(
                    demande_id=demande.pk,
                    version=demande.version,
                    par=instructeur,
                    texte="Merci de joindre le dernier bilan comptable et un second devis.",
                )
            elif etat in (Statut.ACCORDEE, Statut.REFUSEE):
                services.demande_decider(
                    demande_id=demande.pk,
                    version=demande.version,
                    par=instructeur,
                    decision=etat,
                    motif="Projet conforme au règlement du dispositif."
                    if etat == Statut.ACCORDEE
                    else "Dépenses hors du champ du dispositif.",
                    montant_accorde=demande.montant_demande if etat == Statut.ACCORDEE else None,
                    date_commission=timezone.localdate(),
                    numero_deliberation="2026.DEMO.01",
                )
        etats.append(str(Demande.objects.get(pk=demande.pk).get_statut_display()).lower())
    stdout.write(
        f"  compte entreprise de démonstration {EMAIL_ENTREPRISE_DEMO} ({MOT_DE_PASSE_DEMO}) : "
        f"{len(etats)} demandes ({', '.join(etats)})"
    )
