"""Factories for applications: company account members, drafts, deposited files, documents."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aides.catalogue.referentiels import RegimeAide
from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import DeclarationDeMinimis, Demande, LigneDepense
from aides.demandes.models.espace import Membre
from aides.demandes.services import demande as services
from crm.tests.factories import EtablissementFactory
from portal.roles import Role
from portal.tests.factories import UserFactory
from portal.verification import fichier_verifier

PDF_MINIMAL = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def fichier_pdf(nom: str = "devis.pdf", contenu: bytes = PDF_MINIMAL) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu, content_type="application/pdf")


class MembreVerifieFactory(factory.django.DjangoModelFactory):
    """A company user whose email and attachment are verified: administrator of the company's
    account and its legal representative (may sign), on an establishment of the CRM. Override
    `role`, `capacite`, `statut` for the other cases (see the helpers below)."""

    class Meta:
        model = Membre

    utilisateur = factory.SubFactory(UserFactory, roles=[Role.ENTREPRISE])
    etablissement = factory.SubFactory(EtablissementFactory)
    entreprise = factory.LazyAttribute(lambda o: o.etablissement.entreprise)
    email_verifie_le = factory.LazyFunction(timezone.now)
    statut = Membre.Statut.VERIFIE
    role = Membre.Role.ADMINISTRATEUR
    capacite = Membre.Capacite.REPRESENTANT_LEGAL
    voie = Membre.Voie.AGENTS
    verifie_le = factory.LazyFunction(timezone.now)


# The former name (one user, one company, who could do everything): same object, same powers.
RepresentantFactory = MembreVerifieFactory


def collegue_de(membre: Membre, **champs) -> Membre:
    """Another verified user of the same company (same powers unless told otherwise)."""
    return MembreVerifieFactory(etablissement=membre.etablissement, **champs)


def membre_de(membre: Membre, role: str = Membre.Role.MEMBRE, **champs) -> Membre:
    """A verified member of the same company with the given role and no signing capacity."""
    return MembreVerifieFactory(etablissement=membre.etablissement, role=role, capacite="", **champs)


def demandeur_non_verifie(etablissement, **champs) -> Membre:
    """Someone who signed up with this establishment's SIRET: attachment still to verify."""
    return MembreVerifieFactory(
        etablissement=etablissement,
        statut=Membre.Statut.A_VERIFIER,
        role=Membre.Role.MEMBRE,
        capacite="",
        verifie_le=None,
        voie="",
        **champs,
    )


class DemandeFactory(factory.django.DjangoModelFactory):
    """A complete draft, ready to deposit: project starting in 30 days, one expense line."""

    class Meta:
        model = Demande
        skip_postgeneration_save = True

    class Params:
        representant = factory.SubFactory(RepresentantFactory)

    dispositif = factory.SubFactory(DispositifFactory)
    etablissement = factory.LazyAttribute(lambda o: o.representant.etablissement)
    demandeur = factory.LazyAttribute(lambda o: o.representant.utilisateur)
    intitule = "Achat d'une machine de découpe"
    projet = "Une machine pour doubler la production de l'atelier."
    date_debut_projet = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    montant_demande = Decimal("20000")

    @factory.post_generation
    def lignes(self, create, lignes, **kwargs):
        if create:
            for i, (nature, montant) in enumerate(lignes if lignes is not None else [("Machine", Decimal("50000"))]):
                LigneDepense.objects.create(demande=self, nature=nature, montant_ht=Decimal(montant), ordre=i)


def demande_deposee(**champs) -> Demande:
    demande = DemandeFactory(**champs)
    demande, _ = services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    return demande


def demande_en_instruction(instructeur, **champs) -> Demande:
    demande = demande_deposee(**champs)
    return services.instruction_commencer(demande_id=demande.pk, version=demande.version, par=instructeur)


def demande_au_plafond_de_minimis(instructeur) -> Demande:
    """30,000 € asked under de minimis by a company that declared 280,000 € on 10/01/2025: 20,000 € left."""
    representant = RepresentantFactory()
    DeclarationDeMinimis.objects.create(
        entreprise=representant.entreprise, organisme="État", date_octroi=date(2025, 1, 10), montant=Decimal("280000")
    )
    return demande_en_instruction(
        instructeur,
        representant=representant,
        dispositif=DispositifFactory(regime=RegimeAide.DE_MINIMIS),
        montant_demande=Decimal("30000"),
        declaration_de_minimis_faite=True,
    )


def piece_pour(demande: Demande, nom: str = "devis.pdf", type_piece: str = "autre"):
    return services.piece_ajouter(
        demande=demande, verifie=fichier_verifier(fichier_pdf(nom)), par=demande.demandeur, type_piece=type_piece
    )
