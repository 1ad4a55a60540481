"""Demo forms (issue 20): the default form is published; one demo dispositif gets its own form
« Export (démo) » (eligibility, a condition, a repeated block, a Kbis from the safe), and the demo
company's safe holds a Kbis. Idempotent; everything is labelled demo."""

from django.core.files.uploadedfile import SimpleUploadedFile

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Thematique
from aides.demandes.demo import PDF_DEMO, _membre_demo
from aides.demandes.formulaire import version_par_defaut
from aides.demandes.models.coffre import DocumentEntreprise
from aides.demandes.services.coffre import coffre_deposer
from formulaires import services
from formulaires.models import Formulaire
from portal.verification import fichier_verifier

NOM_DEMO = "Export et salons à l'étranger (démo)"


def _formulaire_demo() -> Formulaire:
    formulaire = services.formulaire_creer(
        nom=NOM_DEMO, depuis=version_par_defaut(), demo=True, description="Formulaire de démonstration."
    )
    eligibilite = services.section_enregistrer(formulaire=formulaire, titre="Éligibilité", eligibilite=True)
    services.champ_enregistrer(
        section=eligibilite,
        code="exercice_clos",
        type="oui_non",
        requis=True,
        libelle="Votre entreprise a-t-elle clôturé au moins un exercice fiscal ?",
        valeurs_bloquantes=["non"],
        motif_blocage="Ce dispositif est réservé aux entreprises ayant clôturé un exercice.",
    )
    for _ in range(2):
        services.element_deplacer(element=eligibilite, vers="haut")
    activite = services.section_enregistrer(formulaire=formulaire, titre="Votre activité à l'export")
    services.champ_enregistrer(
        section=activite, code="exporte_deja", libelle="Exportez-vous déjà ?", type="oui_non", requis=True
    )
    services.champ_enregistrer(
        section=activite,
        code="siret_projet",
        libelle="SIRET de l'établissement du projet",
        type="siret",
        preremplir="siret",
    )
    services.champ_enregistrer(
        section=activite,
        code="kbis",
        libelle="Extrait Kbis de moins de trois mois",
        type="fichier",
        coffre="kbis",
        requis=True,
    )
    export = services.section_enregistrer(
        formulaire=formulaire, titre="Vos marchés actuels", condition_champ="exporte_deja", condition_valeur="oui"
    )
    services.champ_enregistrer(
        section=export,
        code="part_export",
        libelle="Part du chiffre d'affaires à l'export (%)",
        type="nombre",
        minimum=0,
        maximum=100,
    )
    bloc = services.champ_enregistrer(
        section=export, code="partenaires", libelle="Partenaires à l'étranger", type="bloc"
    )
    services.champ_enregistrer(section=export, parent=bloc, code="nom", libelle="Nom", type="texte", requis=True)
    services.champ_enregistrer(section=export, parent=bloc, code="pays", libelle="Pays", type="texte")
    services.formulaire_publier(formulaire=formulaire)
    return formulaire


def charger(stdout) -> None:
    version_par_defaut()
    if not Formulaire.objects.filter(demo=True, nom=NOM_DEMO).exists():
        formulaire = _formulaire_demo()
        cible = (
            Dispositif.objects.publies()
            .filter(demo=True, thematiques__contains=[Thematique.EXPORT_ATTRACTIVITE])
            .first()
            or Dispositif.objects.publies().filter(demo=True).first()
        )
        if cible is not None:
            Dispositif.objects.filter(pk=cible.pk).update(formulaire=formulaire)
            stdout.write(f"  formulaire de démonstration « {NOM_DEMO} » pour {cible.nom}")
    representant = _membre_demo()
    if not DocumentEntreprise.objects.filter(entreprise_id=representant.entreprise_id, demo=True).exists():
        document = coffre_deposer(
            entreprise_id=representant.entreprise_id,
            type="kbis",
            verifie=fichier_verifier(SimpleUploadedFile("kbis-demo.pdf", PDF_DEMO)),
            par=representant.utilisateur,
        )
        DocumentEntreprise.objects.filter(pk=document.pk).update(demo=True)
