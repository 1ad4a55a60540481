"""The role × object × action matrix, generated from the URL table.

Every staff URL that takes an id (a route under /agents/ with a parameter, found by walking the URL
resolver) has ONE row in `MATRICE` below: the roles that may use it. The test fails when a new URL
has no row, and checks every row for every staff role, a staff account without role, a company
user (and a user of another company), members of a partner structure and of an EPCI (and of another
structure and another EPCI), and an anonymous visitor. Each request runs in a transaction rolled back afterwards, so an
allowed action never changes the world the next cell sees.

Outcomes: refused = 403 or 404 (or the login page for anonymous visitors); allowed = anything else
(200, a redirect after success, 400 for an empty form, 405...). A 500 is always a failure.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from portal.roles import Role
from portal.tests.factories import AgentFactory, document_cree

CDM, INS, SAF, FED, PIL, ADM, DPD = (
    Role.CHARGE_DE_MISSION,
    Role.INSTRUCTEUR,
    Role.GESTIONNAIRE_SAF,
    Role.SERVICE_FEDER,
    Role.PILOTAGE,
    Role.ADMINISTRATEUR,
    Role.DPD,
)
TOUS = {CDM, INS, SAF, FED, PIL, ADM, DPD}
DEMANDES = {INS, SAF, ADM}  # applications and their documents (FEDER: FEDER-eligible only; this one is not)
CONVENTIONS = {SAF, PIL, INS, ADM}  # aid conventions (FEDER: co-financed only; this one is not)
INSTRUIRE = {INS, ADM}
GERER_SAF = {SAF, ADM}
EPCI_MODIFIER = {CDM, PIL}  # pilotage, or the chargé de mission assigned to the EPCI (ours is)
REVUE_MODIFIER = {CDM, PIL}
CATALOGUE = {INS, PIL}
# The CRM's référent, requests and tasks: the assignee's direction (our chargé de mission shares
# it; every other agent is in another direction), pilotage, administrators.
CRM_TITULAIRE = {CDM, PIL, ADM}

GET, POST = "get", "post"

# URL name → [(method, form data, roles allowed)]; the ids come from the world built below.
MATRICE: dict[str, list[tuple[str, dict, set]]] = {
    # CRM (shared: every agent with a role reads and notes)
    "crm_agents:entreprise": [(GET, {}, TOUS)],
    "crm_agents:referent": [(POST, {}, CRM_TITULAIRE)],
    "crm_agents:etablissement-nouveau": [(GET, {}, TOUS)],
    "crm_agents:contact-nouveau": [(GET, {}, TOUS)],
    "crm_agents:interaction-nouvelle": [(GET, {}, TOUS)],
    "crm_agents:tache-nouvelle": [(POST, {}, TOUS)],
    "crm_agents:interaction": [(GET, {}, TOUS)],
    "crm_agents:interaction-modifier": [(GET, {}, TOUS)],
    "crm_agents:tache-terminer": [(POST, {}, CRM_TITULAIRE)],
    "crm_agents:contact-export": [(GET, {}, {DPD})],
    "crm_agents:sollicitation": [(GET, {}, TOUS), (POST, {"action": "prendre"}, CRM_TITULAIRE)],
    # Project reviews (CRM side)
    "crm_agents:revue-point-ajouter": [(POST, {}, REVUE_MODIFIER)],
    "crm_agents:revue-compte-rendu": [(POST, {}, REVUE_MODIFIER)],
    "crm_agents:revue-decision-ajouter": [(POST, {}, REVUE_MODIFIER)],
    # Asking for the PDF of an agenda or minutes is reading the review (open to every agent).
    "crm_agents:revue-document-demander": [(POST, {}, TOUS)],
    "crm_agents:revue-point-retirer": [(POST, {}, REVUE_MODIFIER)],
    "crm_agents:revue-document": [(GET, {}, TOUS)],
    "crm_agents:revue-document-fichier": [(GET, {}, TOUS)],
    # Partner structures and what directions fund them for
    "crm_agents:structure": [(GET, {}, TOUS)],
    "crm_agents:financement-ajouter": [(POST, {}, {PIL})],
    "crm_agents:financement-supprimer": [(POST, {}, {PIL})],
    "crm_agents:indicateur-ajouter": [(POST, {}, {PIL})],
    "crm_agents:indicateur-mesurer": [(POST, {}, {PIL})],
    # EPCI, their conventions, assignments, deadlines, reviews
    "territoires_agents:epci-detail": [(GET, {}, TOUS)],
    "territoires_agents:convention-detail": [(GET, {}, TOUS)],
    "territoires_agents:convention-modifier": [(GET, {}, EPCI_MODIFIER)],
    "territoires_agents:convention-statut": [(POST, {}, EPCI_MODIFIER)],
    "territoires_agents:engagement-enregistrer": [(POST, {}, EPCI_MODIFIER)],
    "territoires_agents:engagement-supprimer": [(POST, {}, EPCI_MODIFIER)],
    "territoires_agents:piece-ajouter": [(POST, {}, EPCI_MODIFIER)],
    "territoires_agents:piece-telecharger": [(GET, {}, {CDM, PIL, ADM})],
    "territoires_agents:affectation-supprimer": [(POST, {}, {PIL})],
    "territoires_agents:echeance-activer": [(POST, {}, {PIL})],
    "crm_agents:revue-detail": [(GET, {}, TOUS)],
    "crm_agents:revue-modifier": [(GET, {}, REVUE_MODIFIER)],
    # The aid catalogue's editing
    "aides_agents:detail": [(GET, {}, TOUS)],
    "aides_agents:modifier": [(GET, {}, CATALOGUE)],
    "aides_agents:apercu": [(GET, {}, TOUS)],
    "aides_agents:publier": [(POST, {}, CATALOGUE)],
    "aides_agents:depublier": [(POST, {}, CATALOGUE)],
    "aides_agents:archiver": [(POST, {}, CATALOGUE)],
    # Parcours templates
    "parcours_agents:detail": [(GET, {}, TOUS)],
    "parcours_agents:modifier": [(GET, {}, {PIL})],
    "parcours_agents:supprimer": [(POST, {}, {PIL})],
    # Instruction of applications
    "aides_instruction:demande": [(GET, {}, DEMANDES)],
    "aides_instruction:assigner": [(POST, {}, INSTRUIRE)],
    "aides_instruction:commencer": [(POST, {}, INSTRUIRE)],
    "aides_instruction:complement": [(POST, {}, INSTRUIRE)],
    "aides_instruction:decider": [(POST, {}, INSTRUIRE)],
    "aides_instruction:annoter": [(POST, {}, INSTRUIRE)],
    # Issue 20: the thread with the company (writing is instructing), expert opinions (asked by those
    # who instruct; answered by the expert asked only: here the chargé de mission, of another direction).
    "aides_instruction:message": [(POST, {}, INSTRUIRE)],
    "aides_instruction:avis-demander": [(POST, {}, INSTRUIRE)],
    "aides_instruction:avis": [(GET, {}, {CDM}), (POST, {}, {CDM})],
    "aides_instruction:lettre": [(GET, {}, DEMANDES)],
    "aides_instruction:lettre-regenerer": [(POST, {}, INSTRUIRE)],
    # Aid conventions and payments (SAF)
    "aides_saf:creer": [(GET, {}, GERER_SAF)],
    "aides_saf:convention": [(GET, {}, CONVENTIONS)],
    "aides_saf:version": [(GET, {}, CONVENTIONS)],
    "aides_saf:piece": [(GET, {}, CONVENTIONS)],
    "aides_saf:editer": [(POST, {}, GERER_SAF)],
    "aides_saf:envoyer": [(POST, {}, GERER_SAF)],
    "aides_saf:signer-region": [(POST, {}, {PIL})],
    "aides_saf:notifier": [(POST, {}, GERER_SAF)],
    "aides_saf:executer": [(POST, {}, GERER_SAF)],
    "aides_saf:clore": [(POST, {}, GERER_SAF)],
    "aides_saf:versement-creer": [(POST, {}, GERER_SAF)],
    "aides_saf:versement-avancer": [(POST, {}, GERER_SAF)],
    # Issue 17: the companies' payment requests, final report, repayments. Reading a request, its
    # pieces, the final report and its publicity proof, the repayment schedule = reading the
    # convention; deciding on them = managing it (SAF).
    "aides_saf:versement": [(GET, {}, CONVENTIONS)],
    "aides_saf:versement-piece": [(GET, {}, CONVENTIONS)],
    "aides_saf:versement-accepter": [(POST, {}, GERER_SAF)],
    "aides_saf:versement-complement": [(POST, {}, GERER_SAF)],
    "aides_saf:versement-refuser": [(POST, {}, GERER_SAF)],
    "aides_saf:rapport": [(GET, {}, CONVENTIONS), (POST, {}, GERER_SAF)],
    "aides_saf:rapport-preuve": [(GET, {}, CONVENTIONS)],
    "aides_saf:remboursements": [(GET, {}, CONVENTIONS)],
    "aides_saf:remboursements-generer": [(POST, {}, GERER_SAF)],
    "aides_saf:echeance-payee": [(POST, {}, GERER_SAF)],
    "aides_saf:remboursements-importer": [(POST, {}, GERER_SAF)],
    # FEDER operations: read as their convention, which is co-financed (so the FEDER service reads
    # it too); claims and controls are recorded by SAF only (the views do not let FEDER write).
    "aides_saf:feder-operation": [(GET, {}, CONVENTIONS | {FED})],
    "aides_saf:feder-appel-creer": [(POST, {}, GERER_SAF)],
    "aides_saf:feder-appel-avancer": [(POST, {}, GERER_SAF)],
    "aides_saf:feder-controle": [(POST, {}, GERER_SAF)],
    # Not under /agents/, but a company document staff download: listed here too (the company that
    # owns it downloads it as well).
    "espace:piece": [(GET, {}, DEMANDES | {"entreprise"})],
    # The company writes in its application's thread (staff write from the instruction page).
    "espace:message": [(POST, {}, {"entreprise"})],
    # An opinion asked to a user of the BGE: answered in /partenaires/ by that user only.
    "partenaires:avis": [(GET, {}, {"partenaire"}), (POST, {}, {"partenaire"})],
    # A decision letter: its company in its space (staff download it with aides_instruction:lettre).
    "espace:lettre": [(GET, {}, {"entreprise"})],
    # A document of the company's safe (issue 20): read like the applications' documents.
    "espace:coffre-document": [(GET, {}, DEMANDES | {"entreprise"})],
    # Application forms (issue 20): every agent reads and previews; the catalogue's editors build.
    "formulaires:detail": [(GET, {}, TOUS)],
    "formulaires:apercu": [(GET, {}, TOUS)],
    "formulaires:publier": [(POST, {}, CATALOGUE)],
    "formulaires:section-nouvelle": [(GET, {}, CATALOGUE)],
    "formulaires:section": [(GET, {}, CATALOGUE)],
    "formulaires:champ-nouveau": [(GET, {}, CATALOGUE)],
    "formulaires:champ": [(GET, {}, CATALOGUE)],
    # The company's consent to be named (issue 18): its space only; staff read it in the admin.
    "espace_partenaires:diffusion": [(GET, {}, {"entreprise"}), (POST, {}, {"entreprise"})],
    # Attachments of people to companies: verified by the chargés de mission and administrators.
    "aides_agents:rattachement": [(GET, {}, {CDM, ADM})],
    "aides_agents:rattachement-justificatif": [(GET, {}, {CDM, ADM})],
    # Issue 18: the partner and EPCI space. A partner member acts on its structure's referrals and
    # prescriptions only, an EPCI member on its own territory's conventions; every agent, company,
    # other structure and other EPCI gets 404. Training sessions are open to every EPCI.
    "partenaires:orientation": [(GET, {}, {"partenaire"}), (POST, {"action": "prendre"}, {"partenaire"})],
    "partenaires:prescription": [(GET, {}, {"partenaire"})],
    "partenaires:convention-signer": [(POST, {}, {"epci"})],
    "partenaires:inscription": [(POST, {}, {"epci", "autre epci"})],
    # Pilotage: figures, no company file (every role reads them).
    "pilotage:dispositif": [(GET, {}, TOUS)],
    "pilotage:rapport": [(GET, {}, TOUS)],
    "pilotage:rapport-fichier": [(GET, {}, TOUS)],
    # The one status endpoint of documents rendered in the background (/documents/<id>/etat/): the
    # document kind's rule decides; the staff kinds (steering report, review documents) share
    # « every agent with a role »; the public parcours summary is tested in parcours/tests.
    "document-etat": [(GET, {}, TOUS)],
    # The same endpoint for a convention's PDF version (« url#case »: one URL, another object): the
    # convention's reading rule, as its SAF page.
    "document-etat#convention": [(GET, {}, CONVENTIONS)],
}


def nom_url(nom: str) -> str:
    """The URL name of a row (a row « url#case » checks the same URL on another object)."""
    return nom.partition("#")[0]


def urls_agents_avec_id() -> set[str]:
    """The names of the routes under agents/ that take a parameter, from the URL resolver."""
    noms = set()

    def parcourir(resolveur, prefixe: str, espace: str):
        for motif in resolveur.url_patterns:
            route = prefixe + str(motif.pattern)
            if isinstance(motif, URLResolver):
                sous_espace = f"{espace}{motif.namespace}:" if motif.namespace else espace
                parcourir(motif, route, sous_espace)
            elif route.startswith("agents/") and "<" in route:
                noms.add(f"{espace}{motif.name}")

    parcourir(get_resolver(), "", "")
    return noms


def test_every_staff_url_taking_an_id_has_a_row_in_the_matrix():
    manquantes = urls_agents_avec_id() - set(MATRICE)
    assert not manquantes, f"Ajoutez une ligne à MATRICE pour : {sorted(manquantes)}"
    hors_agents = {"document-etat"}  # the documents' status endpoint serves staff and public kinds alike
    assert not {
        n
        for n in {nom_url(n) for n in MATRICE} - urls_agents_avec_id() - hors_agents
        if not n.startswith(("espace:", "espace_partenaires:", "partenaires:"))
    }


# --- The world: one object of each kind -----------------------------------------------------------


def monde(tmp_path) -> dict:
    from aides.catalogue.tests.factories import DispositifFactory
    from aides.conventions.services import convention as sc
    from aides.conventions.tests.factories import convention_notifiee
    from aides.demandes.tests.factories import DemandeFactory, fichier_pdf, piece_pour
    from crm.models import (
        DocumentRevue,
        FinancementStructure,
        Indicateur,
        Interaction,
        PointRevue,
        Sollicitation,
        Tache,
    )
    from crm.tests.factories import ContactFactory, EtablissementFactory, StructureFactory
    from parcours.tests.factories import ParcoursTypeFactory
    from portal.models import Direction
    from portal.verification import fichier_verifier
    from territoires.models import (
        Affectation,
        EcheanceConventionnement,
        EngagementAnnuel,
        PieceConvention,
        RevueDeProjets,
    )
    from territoires.tests.factories import ConventionFactory

    daen, dipi = Direction.objects.get(code="DAEN"), Direction.objects.get(code="DIPI")
    agents = {role: AgentFactory(roles=[role], direction=daen if role == CDM else dipi) for role in sorted(TOUS)}
    collegue = AgentFactory(roles=[CDM], direction=daen)  # référent and assignee, in the CDM's direction
    sans_role = AgentFactory(roles=[], direction=daen)

    etablissement = EtablissementFactory()
    entreprise = etablissement.entreprise
    entreprise.referent = collegue
    entreprise.save(update_fields=["referent"])
    contact = ContactFactory(entreprise=entreprise, email="paul@pme.fr")
    interaction = Interaction.objects.create(date=date.today(), entreprise=entreprise, auteur=collegue, objet="Visite")
    tache = Tache.objects.create(entreprise=entreprise, titre="Rappeler", assignee=collegue, echeance=date.today())
    commune = etablissement.commune
    sollicitation = Sollicitation.objects.create(
        nom="Claire", email="claire@pme.fr", commune=commune, besoin="innover", direction=daen
    )
    sollicitation.assignes.add(collegue)

    convention_epci = ConventionFactory()
    epci = convention_epci.epci
    Affectation.objects.create(agent=agents[CDM], epci=epci, direction=daen)
    affectation = Affectation.objects.create(agent=collegue, epci=epci, direction=daen)
    EngagementAnnuel.objects.create(convention=convention_epci, annee=2026)
    piece_epci = PieceConvention.objects.create(
        convention=convention_epci,
        nom_original="signee.pdf",
        taille=10,
        sha256="0" * 64,
        document=document_cree("territoires.piece_convention", contenu=b"%PDF-1.4 x"),
    )
    echeance = EcheanceConventionnement.objects.create(type=convention_epci.type, date=date.today() + timedelta(90))
    revue = RevueDeProjets.objects.create(date=date.today() + timedelta(days=10), lieu="Amiens")
    revue.epcis.add(epci)
    point = PointRevue.objects.create(revue=revue, entreprise=entreprise, sujet="Projet")
    document = DocumentRevue.objects.create(
        revue=revue,
        type=DocumentRevue.Type.ORDRE_DU_JOUR,
        document=document_cree("crm.revue", contenu=b"%PDF-1.4 x"),
    )
    structure = StructureFactory()
    financement = FinancementStructure.objects.create(
        structure=structure, direction=daen, annee=2026, montant=Decimal("1000"), objet="Accompagnement"
    )
    indicateur = Indicateur.objects.create(financement=financement, libelle="Entreprises suivies", cible=10)

    dispositif = DispositifFactory()
    parcours = ParcoursTypeFactory()
    from aides.demandes.services import demande as services_demande

    brouillon = DemandeFactory()
    piece = piece_pour(brouillon)
    demande, _ = services_demande.demande_deposer(demande_id=brouillon.pk, par=brouillon.demandeur)
    from aides.models import LettreDecision

    lettre = LettreDecision.objects.create(
        demande=demande, numero=1, decision="accordee", document=document_cree("aides.lettre", contenu=b"%PDF-1.4 x")
    )
    convention = convention_notifiee(montant=Decimal("30000"))
    versement = sc.versement_creer(
        convention_id=convention.pk,
        par=convention.gestionnaire,
        type="avance",
        montant=Decimal("5000"),
        pieces=[fichier_verifier(fichier_pdf("etat.pdf"))],
    )
    from django.db.models import F

    from aides.conventions.services import paiement as sp
    from aides.conventions.tests.factories_paiement import acompte_depose, convention_a_payer, rapport_depose
    from aides.demandes.services.avis import avis_demander
    from aides.demandes.tests.factories import MembreVerifieFactory, demandeur_non_verifie
    from aides.models import ConventionAide, ObjectifSpecifique, OperationFeder
    from pilotage.models import RapportPilotage

    # Issue 17: a repayable advance with a deposited payment request (one invoice, one piece), a
    # final report filed with its publicity proof, a repayment schedule...
    a_payer, membre = convention_a_payer()
    a_payer.nature = "avance-remboursable"
    a_payer.save(update_fields=["nature"])
    demande_versement = acompte_depose(a_payer, membre, montants=("1000",))
    piece_versement = demande_versement.pieces.first()
    rapport_depose(a_payer, membre)
    echeance_r = sp.echeancier_remboursement_generer(convention_id=a_payer.pk, par=a_payer.gestionnaire, nombre=2)[0]
    # ... and a FEDER co-financed convention whose operation holds a claim from an accepted request.
    cofinancee, membre_f = convention_a_payer()
    ConventionAide.objects.filter(pk=cofinancee.pk).update(
        part_feder=Decimal("8000"), part_region=F("montant") - F("part_epci") - Decimal("8000")
    )
    operation = OperationFeder.objects.create(
        convention=cofinancee,
        code_operation="HF00042",
        objectif_specifique=ObjectifSpecifique.OS_1_3,
        taux_ue=Decimal("40"),
        cout_total_eligible=Decimal("40000"),
        montant_ue=Decimal("8000"),
    )
    acompte_f = acompte_depose(cofinancee, membre_f, montants=("1000", "2000"))
    sp.demande_versement_accepter(demande_versement_id=acompte_f.pk, par=cofinancee.gestionnaire, rejets={})
    appel = sp.appel_de_fonds_creer(
        operation_id=operation.pk, demande_versement_id=acompte_f.pk, par=cofinancee.gestionnaire
    )

    requerant = demandeur_non_verifie(EtablissementFactory())
    requerant.justificatif = document_cree("aides.justificatif", contenu=b"%PDF-1.4 x")
    requerant.save(update_fields=["justificatif"])
    rapport = RapportPilotage.objects.create(
        annee=2026, document=document_cree("pilotage.rapport", contenu=b"%PDF-1.4 x")
    )
    from formulaires.services import formulaire_depuis_schema
    from formulaires.tests.schemas import schema_complet

    version_formulaire = formulaire_depuis_schema(nom="Formulaire", schema=schema_complet())
    formulaire = version_formulaire.formulaire
    section_f = formulaire.sections.get(titre="Projet")
    champ_f = section_f.champs.get(code="titre")
    from aides.demandes.services.coffre import coffre_deposer

    document_coffre = coffre_deposer(
        entreprise_id=demande.etablissement.entreprise_id,
        type="rib",
        verifie=fichier_verifier(fichier_pdf("rib.pdf")),
        par=demande.demandeur,
    )
    membres, ids_partenaires = monde_partenaires(agents[CDM], commune, convention_epci)
    membres["entreprise tierce"] = MembreVerifieFactory().utilisateur
    # Issue 20: an opinion asked to the chargé de mission (another direction), one to the BGE's member.
    avis, avis_partenaire = (
        avis_demander(
            demande_id=demande.pk,
            par=agents[INS],
            expert=expert,
            question="Votre avis ?",
            rendre_avant=date.today() + timedelta(days=10),
        )
        for expert in (agents[CDM], membres["partenaire"])
    )
    ids = {
        **ids_partenaires,
        "formulaires:detail": [formulaire.pk],
        "formulaires:apercu": [formulaire.pk],
        "formulaires:publier": [formulaire.pk],
        "formulaires:section-nouvelle": [formulaire.pk],
        "formulaires:section": [formulaire.pk, section_f.pk],
        "formulaires:champ-nouveau": [formulaire.pk, section_f.pk],
        "formulaires:champ": [formulaire.pk, section_f.pk, champ_f.pk],
        "aides_agents:rattachement": [requerant.pk],
        "aides_agents:rattachement-justificatif": [requerant.pk],
        "pilotage:dispositif": [dispositif.pk],
        "pilotage:rapport": [rapport.pk],
        "document-etat": [rapport.document_id],
        "pilotage:rapport-fichier": [rapport.pk],
        "crm_agents:entreprise": [entreprise.siren],
        "crm_agents:referent": [entreprise.siren],
        "crm_agents:etablissement-nouveau": [entreprise.siren],
        "crm_agents:contact-nouveau": [entreprise.siren],
        "crm_agents:interaction-nouvelle": [entreprise.siren],
        "crm_agents:tache-nouvelle": [entreprise.siren],
        "crm_agents:interaction": [interaction.pk],
        "crm_agents:interaction-modifier": [interaction.pk],
        "crm_agents:tache-terminer": [tache.pk],
        "crm_agents:contact-export": [contact.pk],
        "crm_agents:sollicitation": [sollicitation.pk],
        "crm_agents:revue-point-ajouter": [revue.pk],
        "crm_agents:revue-compte-rendu": [revue.pk],
        "crm_agents:revue-decision-ajouter": [revue.pk],
        "crm_agents:revue-document-demander": [revue.pk, "ordre_du_jour"],
        "crm_agents:revue-point-retirer": [point.pk],
        "crm_agents:revue-document": [document.pk],
        "crm_agents:revue-document-fichier": [document.pk],
        "crm_agents:structure": [structure.pk],
        "crm_agents:financement-ajouter": [structure.pk],
        "crm_agents:financement-supprimer": [financement.pk],
        "crm_agents:indicateur-ajouter": [financement.pk],
        "crm_agents:indicateur-mesurer": [indicateur.pk],
        "territoires_agents:epci-detail": [epci.siren],
        "territoires_agents:convention-detail": [convention_epci.pk],
        "territoires_agents:convention-modifier": [convention_epci.pk],
        "territoires_agents:convention-statut": [convention_epci.pk],
        "territoires_agents:engagement-enregistrer": [convention_epci.pk],
        "territoires_agents:engagement-supprimer": [convention_epci.pk, 2026],
        "territoires_agents:piece-ajouter": [convention_epci.pk],
        "territoires_agents:piece-telecharger": [convention_epci.pk, piece_epci.pk],
        "territoires_agents:affectation-supprimer": [affectation.pk],
        "territoires_agents:echeance-activer": [echeance.pk],
        "crm_agents:revue-detail": [revue.pk],
        "crm_agents:revue-modifier": [revue.pk],
        "aides_agents:detail": [dispositif.pk],
        "aides_agents:modifier": [dispositif.pk],
        "aides_agents:apercu": [dispositif.pk],
        "aides_agents:publier": [dispositif.pk],
        "aides_agents:depublier": [dispositif.pk],
        "aides_agents:archiver": [dispositif.pk],
        "parcours_agents:detail": [parcours.pk],
        "parcours_agents:modifier": [parcours.pk],
        "parcours_agents:supprimer": [parcours.pk],
        "aides_instruction:demande": [demande.pk],
        "aides_instruction:assigner": [demande.pk],
        "aides_instruction:commencer": [demande.pk],
        "aides_instruction:complement": [demande.pk],
        "aides_instruction:decider": [demande.pk],
        "aides_instruction:annoter": [demande.pk],
        "aides_instruction:lettre": [demande.pk, lettre.pk],
        "aides_instruction:lettre-regenerer": [demande.pk],
        "espace:lettre": [demande.pk, lettre.pk],
        "aides_saf:creer": [demande.pk],
        "aides_saf:convention": [convention.pk],
        "aides_saf:version": [convention.pk, sc.version_courante(convention).pk],
        "document-etat#convention": [sc.version_courante(convention).document_id],
        "aides_saf:piece": [convention.pk, versement.pieces.get().pk],
        "aides_saf:editer": [convention.pk],
        "aides_saf:envoyer": [convention.pk],
        "aides_saf:signer-region": [convention.pk],
        "aides_saf:notifier": [convention.pk],
        "aides_saf:executer": [convention.pk],
        "aides_saf:clore": [convention.pk],
        "aides_saf:versement-creer": [convention.pk],
        "aides_saf:versement-avancer": [convention.pk, versement.pk],
        "aides_saf:versement": [demande_versement.pk],
        "aides_saf:versement-piece": [demande_versement.pk, piece_versement.pk],
        "aides_saf:versement-accepter": [demande_versement.pk],
        "aides_saf:versement-complement": [demande_versement.pk],
        "aides_saf:versement-refuser": [demande_versement.pk],
        "aides_saf:rapport": [a_payer.pk],
        "aides_saf:rapport-preuve": [a_payer.pk],
        "aides_saf:remboursements": [a_payer.pk],
        "aides_saf:remboursements-generer": [a_payer.pk],
        "aides_saf:echeance-payee": [a_payer.pk, echeance_r.pk],
        "aides_saf:remboursements-importer": [a_payer.pk],
        "aides_saf:feder-operation": [operation.pk],
        "aides_saf:feder-appel-creer": [operation.pk],
        "aides_saf:feder-appel-avancer": [operation.pk, appel.pk],
        "aides_saf:feder-controle": [operation.pk],
        "espace:piece": [piece.pk],
        "espace:coffre-document": [document_coffre.pk],
        "espace_partenaires:diffusion": [],
        "aides_instruction:message": [demande.pk],
        "aides_instruction:avis-demander": [demande.pk],
        "aides_instruction:avis": [avis.pk],
        "espace:message": [demande.pk],
        "partenaires:avis": [avis_partenaire.pk],
    }
    return {"agents": agents, "sans_role": sans_role, "entreprise": demande.demandeur, "ids": ids, "membres": membres}


def monde_partenaires(agent, commune, convention_epci) -> tuple[dict, dict]:
    """A referral and a prescription of a BGE, a training session; members of the BGE, of another
    structure, of the convention's EPCI and of another EPCI."""
    from django.utils import timezone

    from crm.models import Sollicitation
    from crm.tests.factories import StructureFactory
    from partenaires import services as partenaires_services
    from partenaires.models import Ressource
    from partenaires.tests.factories import MembreEpciFactory, MembreFactory
    from territoires.tests.factories import EPCIFactory

    bge = StructureFactory(nom="BGE")
    membres = {
        "partenaire": MembreFactory(structure=bge).utilisateur,
        "autre partenaire": MembreFactory().utilisateur,
        "epci": MembreEpciFactory(epci=convention_epci.epci).utilisateur,
        "autre epci": MembreEpciFactory(epci=EPCIFactory()).utilisateur,
    }
    a_orienter = Sollicitation.objects.create(
        nom="Paul", email="paul@pme.fr", commune=commune, besoin="creer", direction=agent.direction
    )
    orientation = partenaires_services.orientation_creer(sollicitation=a_orienter, structure=bge, par=agent)
    prescription = partenaires_services.prescription_creer(
        par=membres["partenaire"],
        commune=commune,
        besoin="investir",
        siret="12345678900012",
        nom="Jean",
        email="j@x.fr",
    )
    session = Ressource.objects.create(titre="Session", session_le=timezone.now() + timedelta(days=10))
    return membres, {
        "partenaires:orientation": [orientation.pk],
        "partenaires:prescription": [prescription.pk],
        "partenaires:convention-signer": [convention_epci.pk],
        "partenaires:inscription": [session.pk],
    }


def _refuse(reponse) -> bool:
    return reponse.status_code in (403, 404) or (
        reponse.status_code == 302 and reponse["Location"].startswith(reverse("connexion"))
    )


@pytest.mark.django_db
def test_the_role_object_action_matrix_has_no_unexpected_allow_nor_deny(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = monde(tmp_path)
    assert Group.objects.filter(name=DPD.value).exists()
    clients = {}
    for role, agent in m["agents"].items():
        clients[role] = Client()
        clients[role].force_login(agent)
    for nom, user in (("sans rôle", m["sans_role"]), ("entreprise", m["entreprise"]), *m["membres"].items()):
        clients[nom] = Client()
        clients[nom].force_login(user)
    clients["anonyme"] = Client()

    ecarts = []
    for nom, cas in MATRICE.items():
        url = reverse(nom_url(nom), args=m["ids"][nom])
        for methode, donnees, permis in cas:
            for qui, client in clients.items():
                if qui.startswith("autre ") and not nom.startswith("partenaires:"):
                    continue  # on staff URLs, as refused as the members of the BGE and of the EPCI
                if qui == "entreprise tierce" and not m["ids"][nom]:
                    continue  # a page without an id is every company's own page
                with transaction.atomic():
                    reponse = getattr(client, methode)(url, donnees)
                    transaction.set_rollback(True)
                attendu = "permis" if qui in permis else "refusé"
                obtenu = "refusé" if _refuse(reponse) else "permis"
                if reponse.status_code >= 500 or obtenu != attendu:
                    ecarts.append(
                        f"{methode.upper()} {nom} en {qui}: {reponse.status_code} ({obtenu}, attendu {attendu})"
                    )
                if (
                    qui == "sans rôle"
                    and nom_url(nom) != "document-etat"
                    and not nom.startswith(("espace:", "espace_partenaires:", "partenaires:"))
                ):
                    assert "pas encore de rôle" in reponse.content.decode(), url
    assert not ecarts, "\n".join(ecarts)
