"""Demo rows for the catalogue's exchange features: alerts in both states for the demo company's
address, and one aid « imported from Aides-territoires » waiting for review (all marked « démo »)."""

from django.utils import timezone

from aides.catalogue.models.alerte import Alerte
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Public, Stade
from aides.catalogue.services import dispositif as services
from aides.catalogue.services.aides_territoires import SOURCE, aides_importer
from aides.demandes.demo import EMAIL_ENTREPRISE_DEMO
from portal.models import Direction, User

AUTEUR_DEMO = "instructeur@demo.hautsdefrance.fr"

AIDE_IMPORTEE = {
    "id": "demo-1",
    "name": "Diagnostic export des PME – État (démo)",
    "description": "<p>Aide fictive de démonstration, au format d'Aides-territoires : un diagnostic export "
    "financé par l'État pour les PME.</p>",
    "eligibility": "<p>PME de moins de 250 salariés.</p>",
    "financers": ["État (démo)"],
    "instructors": ["Bpifrance"],
    "perimeter": "France",
    "targeted_audiences": ["Entreprises privées"],
    "aid_types": ["Ingénierie technique"],
    "categories": ["Développement économique / production et consommation|International"],
    "application_url": "https://www.bpifrance.fr/",
}


def charger(stdout) -> None:
    maintenant = timezone.now()
    Alerte.objects.get_or_create(
        email=EMAIL_ENTREPRISE_DEMO,
        requete="thematique=numerique",
        defaults={"frequence": Alerte.Frequence.HEBDOMADAIRE, "confirmee_le": maintenant},
    )
    Alerte.objects.get_or_create(
        email=EMAIL_ENTREPRISE_DEMO,
        requete="commune=80021&thematique=export-attractivite",
        defaults={"frequence": Alerte.Frequence.QUOTIDIENNE},
    )
    stdout.write("  alertes de démonstration : une confirmée, une en attente de confirmation")
    direction = Direction.objects.filter(code="DAEN").first()
    if direction is None:
        return
    if Dispositif.objects.filter(source=SOURCE, source_id=AIDE_IMPORTEE["id"]).exists():
        return  # already there, maybe completed by hand: a second run changes nothing
    par = User.objects.filter(email=AUTEUR_DEMO).first()
    aides_importer([AIDE_IMPORTEE], direction=direction, par=par)
    importee = Dispositif.objects.filter(source=SOURCE, source_id=AIDE_IMPORTEE["id"], demo=False).first()
    if importee is not None and importee.statut == Dispositif.Statut.BROUILLON:
        # What the file does not say, as a reviewing agent would complete it.
        services.dispositif_modifier(
            dispositif=importee, par=par, demo=True, stades=[Stade.DEVELOPPEMENT], publics=[Public.PME]
        )
    stdout.write("  une aide importée d'Aides-territoires, à relire (brouillon)")
