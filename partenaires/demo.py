"""Demo data of the partner and EPCI spaces (labelled demo; idempotent): a BGE member, an EPCI user
for Amiens Métropole, one referral in each state, an embed for a local test site, a training session,
a convention the EPCI has to sign, and a demo company that agreed to be named."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from aides.models import Membre
from crm import services as crm_services
from crm.models import Entreprise, Sollicitation, Structure
from portal.demo import MOT_DE_PASSE_DEMO
from portal.double_facteur import appareil_demo_creer
from portal.models import User
from portal.roles import Role
from territoires import services as territoires_services
from territoires.models import Commune, ConventionTerritoriale, TypeConvention

from . import services_diffusion
from .models import AccordDiffusion, Adhesion, Orientation, Ressource, SiteIntegration

ETATS = [
    (Orientation.Statut.TRANSMISE, ""),
    (Orientation.Statut.PRISE_EN_CHARGE, ""),
    (Orientation.Statut.TRAITEE, "Rendez-vous tenu, plan de financement en cours (démo)."),
    (Orientation.Statut.PAS_POUR_NOUS, "Projet agricole : voir la Chambre d'agriculture (démo)."),
]


def _compte(email: str, prenom: str, nom: str, role: Role) -> User:
    user, cree = User.objects.get_or_create(email=email, defaults={"first_name": prenom, "last_name": nom})
    if cree:
        user.set_password(MOT_DE_PASSE_DEMO)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    appareil_demo_creer(user)  # the documented demo TOTP secret, like the demo agents
    return user


def charger(stdout) -> None:
    bge = Structure.objects.filter(sigle="BGE").first()
    agent = User.objects.filter(email="charge.mission@demo.hautsdefrance.fr").first()
    amiens = Commune.objects.filter(code_insee="80021").select_related("epci").first()
    if bge is None or agent is None or amiens is None:
        stdout.write("  partenaires : données CRM ou territoires absentes, rien à faire")
        return
    membre = _compte("conseillere@demo-bge.example.org", "Nadia", "Benali (démo)", Role.PARTENAIRE)
    Adhesion.objects.get_or_create(utilisateur=membre, defaults={"structure": bge, "demo": True})
    eco = _compte("economie@demo-amiens-metropole.example.org", "Julien", "Roussel (démo)", Role.EPCI)
    Adhesion.objects.get_or_create(utilisateur=eco, defaults={"epci": amiens.epci, "demo": True})

    entreprise = Entreprise.objects.filter(demo=True).order_by("pk").first()
    maintenant = timezone.now()
    for i, (statut, note) in enumerate(ETATS):
        nom = f"Porteur de projet {i + 1} (démo)"
        if Orientation.objects.filter(demo=True, sollicitation__nom=nom).exists():
            continue
        sollicitation = crm_services.sollicitation_creer(
            commune=amiens,
            besoin="creer",
            origine=Sollicitation.Origine.AGENT,
            nom=nom,
            email=f"porteur{i + 1}.demo@example.org",
            entreprise=entreprise if statut == Orientation.Statut.TRAITEE else None,
            message="Création d'une micro-entreprise (démo).",
            consentement=True,
            par=agent,
        )
        Sollicitation.objects.filter(pk=sollicitation.pk).update(
            statut=Sollicitation.Statut.REORIENTEE, reorientee_vers_structure=bge, repondue_le=maintenant
        )
        orientation = Orientation(
            sollicitation=sollicitation,
            structure=bge,
            motif="Accompagnement à la création (démo).",
            cree_par=agent,
            cree_le=maintenant - timedelta(days=4),
            statut=statut,
            note=note,
            demo=True,
        )
        if statut != Orientation.Statut.TRANSMISE:
            orientation.prise_le, orientation.prise_par = maintenant - timedelta(days=2), membre
        if note:
            orientation.repondue_le, orientation.repondue_par = maintenant - timedelta(days=1), membre
        orientation.full_clean()
        orientation.save()
    SiteIntegration.objects.get_or_create(
        cle="bge-demo", defaults={"origine": "http://localhost:8001", "structure": bge, "demo": True}
    )
    if not Ressource.objects.filter(demo=True).exists():
        Ressource.objects.create(
            titre="Les aides régionales à la création d'entreprise (démo)",
            description="Session d'information pour les développeurs économiques des EPCI.",
            session_le=maintenant + timedelta(days=21),
            lieu="Hôtel de Région, Lille",
            demo=True,
        )
    _convention_a_signer(amiens.epci, agent)
    _accord_demo()
    stdout.write(f"  {Orientation.objects.filter(demo=True).count()} réorientations vers un partenaire (démo)")


def _convention_a_signer(epci, agent) -> None:
    """A framework convention in negotiation: the demo EPCI user signs it from its space."""
    Statut = ConventionTerritoriale.Statut
    if ConventionTerritoriale.objects.filter(epci=epci, statut=Statut.EN_NEGOCIATION).exists():
        return
    annee = timezone.localdate().year + 1
    convention = territoires_services.convention_creer(
        epci=epci,
        par=agent,
        type=TypeConvention.CADRE,
        intitule=f"Convention cadre personnalisée {annee}-{annee + 2} (démo, à signer par l'EPCI)",
        date_debut=timezone.localdate().replace(year=annee, month=1, day=1),
        date_fin=timezone.localdate().replace(year=annee + 2, month=12, day=31),
        signataire_region="Le Président du Conseil régional (démo)",
        demo=True,
    )
    territoires_services.convention_changer_statut(convention=convention, statut=Statut.EN_NEGOCIATION, par=agent)


def _accord_demo() -> None:
    """The first demo company with an account administrator (made by aides' demo, which runs
    before) agrees to be named to the EPCI."""
    administrateur = Membre.objects.administrateurs().filter(entreprise__demo=True).order_by("pk").first()
    if administrateur is None or AccordDiffusion.objects.filter(entreprise_id=administrateur.entreprise_id).exists():
        return
    services_diffusion.accord_diffusion_donner(
        entreprise=administrateur.entreprise, portee=AccordDiffusion.Portee.PARTENAIRES, par=administrateur.utilisateur
    )
