"""Conventions: numbering, financing constraint, the PDF and amounts in words."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, connection, transaction
from pypdf import PdfReader

from aides.catalogue.referentiels import Nature
from aides.catalogue.tests.factories import DispositifFactory
from aides.conventions.models.convention import ConventionAide, Etape, EtapeConvention
from aides.conventions.montants import montant_complet, montant_en_lettres
from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import convention_creee, demande_accordee, pdf_genere
from aides.demandes.tests.factories import demande_en_instruction
from conftest import en_parallele
from portal.models import Direction, Document, Travail
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.usefixtures("media")


# --- Amounts in words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "montant, attendu",
    [
        (1, "un euro"),
        (80, "quatre-vingts euros"),
        (200, "deux cents euros"),
        (1_000_000, "un million d'euros"),
        (Decimal("12500.50"), "douze mille cinq cents euros et cinquante centimes"),
        (Decimal("0.01"), "un centime"),
        (71, "soixante et onze euros"),
    ],
)
def test_amounts_are_written_in_french_words(montant, attendu):
    assert montant_en_lettres(montant) == attendu


def test_the_full_amount_gives_figures_then_words():
    assert montant_complet(12500) == "12\u00a0500,00\u00a0€ (douze mille cinq cents euros)"


# --- Creation and numbering ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_granted_application_gets_a_numbered_convention_with_its_first_step():
    convention = convention_creee(
        montant=Decimal("30000"),
        part_feder=Decimal("10000"),
        demande={"dispositif": DispositifFactory(eligible_feder=True)},
    )
    assert convention.numero.startswith(f"{convention.annee}-DAEN-")
    assert convention.numero.endswith("00001")
    assert convention.part_region == Decimal("20000")
    assert convention.etape == Etape.A_EDITER
    assert [e.vers for e in convention.etapes.all()] == [Etape.A_EDITER]
    suivante = convention_creee()
    assert suivante.numero.endswith("00002")


@pytest.mark.django_db
def test_numbers_restart_for_each_direction():
    daen = convention_creee()
    dispositif_dipi = DispositifFactory(direction=Direction.objects.get(code="DIPI"))
    dipi = convention_creee(demande={"dispositif": dispositif_dipi})
    assert daen.numero.endswith("DAEN-00001")
    assert dipi.numero.endswith("DIPI-00001")


@pytest.mark.django_db
def test_an_application_not_granted_gets_no_convention():
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR])
    demande = demande_en_instruction(instructeur)
    with pytest.raises(ValidationError, match="accordée"):
        sc.convention_creer(demande_id=demande.pk, par=AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))


@pytest.mark.django_db
def test_a_second_convention_for_the_same_application_is_refused():
    convention = convention_creee()
    with pytest.raises(ValidationError, match="déjà sa convention"):
        sc.convention_creer(demande_id=convention.demande_id, par=convention.gestionnaire)


@pytest.mark.django_db
def test_feder_and_epci_parts_cannot_exceed_the_amount():
    demande = demande_accordee(montant=Decimal("20000"), dispositif=DispositifFactory(eligible_feder=True))
    with pytest.raises(ValidationError) as erreur:
        sc.convention_creer(
            demande_id=demande.pk, par=AgentFactory(roles=[Role.GESTIONNAIRE_SAF]), part_feder=Decimal("25000")
        )
    assert "part_feder" in erreur.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_parts_that_do_not_add_up_to_the_amount():
    convention = convention_creee()
    with pytest.raises(IntegrityError, match="convention_parts_egales_montant"), transaction.atomic():
        ConventionAide.objects.filter(pk=convention.pk).update(part_region=Decimal("1"))


@pytest.mark.django_db
def test_the_step_history_is_append_only_in_the_database():
    convention = convention_creee()
    etape = convention.etapes.get()
    with pytest.raises(InternalError, match="ajout seul"), transaction.atomic():
        EtapeConvention.objects.filter(pk=etape.pk).update(motif="réécrit")


@pytest.mark.django_db(transaction=True)
def test_two_conventions_created_at_once_get_different_numbers():
    from territoires.chargement import territoires_charger

    territoires_charger()
    gestionnaire = AgentFactory(roles=[Role.GESTIONNAIRE_SAF])
    demandes = [demande_accordee(), demande_accordee()]

    def creer(demande):
        def fonction():
            # Hold the counter row a moment inside the transaction so the two really overlap.
            with transaction.atomic():
                convention = sc.convention_creer(demande_id=demande.pk, par=gestionnaire)
                with connection.cursor() as curseur:
                    curseur.execute("SELECT pg_sleep(0.2)")
                return convention.numero

        return fonction

    numeros = en_parallele(*(creer(d) for d in demandes))
    assert all(isinstance(n, str) for n in numeros), numeros
    assert len(set(numeros)) == 2
    assert sorted(n[-5:] for n in numeros) == ["00001", "00002"]


# --- PDF ----------------------------------------------------------------------------------------


def _texte(version) -> str:
    with version.document.fichier.open("rb") as f:
        lecteur = PdfReader(BytesIO(f.read()))
    return "\n".join(page.extract_text() for page in lecteur.pages)


def _normalise(texte: str) -> str:
    return " ".join(texte.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.django_db
def test_the_pdf_names_the_beneficiary_and_the_amount_in_figures_and_words_without_feder():
    convention = convention_creee(montant=Decimal("12500"))
    version = pdf_genere(convention)
    convention.refresh_from_db()
    texte = _normalise(_texte(version))
    assert convention.etablissement.entreprise.denomination in texte
    assert "12 500,00 € (douze mille cinq cents euros)" in texte
    assert "Article 7 – Caducité" in texte and "Litiges" in texte
    assert "Page 1 sur" in texte
    assert "Fonds européen de développement régional" not in texte
    assert version.numero == 1 and len(version.document.sha256) == 64 and version.document.genre == "aides.convention"
    assert convention.etape == Etape.EDITEE


@pytest.mark.django_db
def test_the_pdf_carries_the_feder_clause_when_feder_cofinances():
    convention = convention_creee(
        montant=Decimal("80000"),
        part_feder=Decimal("32000"),
        demande={"dispositif": DispositifFactory(eligible_feder=True)},
    )
    texte = _normalise(_texte(pdf_genere(convention)))
    assert "Fonds européen de développement régional" in texte
    assert "Cofinancé par l'Union européenne" in texte
    assert "32 000,00 € (trente-deux mille euros)" in texte


def _polices(lecteur: PdfReader) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font of every page, descending into form XObjects."""
    vues, polices = set(), []

    def parcourir(ressources):
        ressources = ressources.get_object() if ressources is not None else {}
        for police in (ressources.get("/Font") or {}).values():
            police = police.get_object()
            if id(police) in vues:
                continue
            vues.add(id(police))
            descendantes = police.get("/DescendantFonts")
            cible = descendantes[0].get_object() if descendantes else police
            descripteur = cible["/FontDescriptor"].get_object()
            integree = any(cle in descripteur for cle in ("/FontFile", "/FontFile2", "/FontFile3"))
            polices.append((str(police["/BaseFont"]), integree))
        for objet in (ressources.get("/XObject") or {}).values():
            objet = objet.get_object()
            if objet.get("/Subtype") == "/Form" and "/Resources" in objet:
                parcourir(objet["/Resources"])

    for page in lecteur.pages:
        parcourir(page.get("/Resources"))
    return polices


@pytest.mark.django_db
def test_the_pdf_embeds_every_font_it_uses():
    convention = convention_creee(
        montant=Decimal("80000"),
        part_feder=Decimal("32000"),
        demande={"dispositif": DispositifFactory(eligible_feder=True)},
    )
    version = pdf_genere(convention)
    with version.document.fichier.open("rb") as f:
        polices = _polices(PdfReader(BytesIO(f.read())))
    assert polices, "no font found in the PDF"
    assert all(integree for _, integree in polices), polices
    assert all("DejaVu-Sans" in nom for nom, _ in polices), polices  # the project's fonts, not the system's


@pytest.mark.django_db
def test_each_nature_has_its_own_template_and_each_generation_is_a_new_version():
    convention = convention_creee(demande={"dispositif": DispositifFactory(nature=Nature.AVANCE_REMBOURSABLE)})
    premiere = pdf_genere(convention)
    seconde = pdf_genere(convention)
    assert "avance remboursable" in _normalise(_texte(seconde)).lower()
    assert (premiere.numero, seconde.numero) == (1, 2)
    assert convention.versions.count() == 2
    # Editing twice moves the step once.
    assert list(convention.etapes.values_list("vers", flat=True)) == [Etape.A_EDITER, Etape.EDITEE]


@pytest.mark.django_db
def test_a_double_click_on_generate_makes_one_version_and_one_job():
    convention = convention_creee()
    sc.convention_editer(convention_id=convention.pk, par=convention.gestionnaire)
    sc.convention_editer(convention_id=convention.pk, par=convention.gestionnaire)  # the second click
    version = convention.versions.get()
    assert (version.numero, version.document.statut) == (1, "en_attente")
    assert Travail.objects.filter(arguments__document_id=str(version.document_id)).count() == 1
    assert convention.etapes.count() == 1  # « à éditer » until the PDF is stored


@pytest.mark.django_db
def test_a_failed_rendering_is_no_version_asking_again_replaces_it_under_its_number():
    convention = convention_creee()
    premiere = pdf_genere(convention)
    sc.convention_editer(convention_id=convention.pk, par=convention.gestionnaire)
    ratee = sc.version_en_preparation(convention)
    Document.objects.filter(pk=ratee.document_id).update(statut="echec", erreur="OSError : disque plein")
    assert sc.version_courante(convention) == premiere and ratee.numero == 2
    sc.convention_editer(convention_id=convention.pk, par=convention.gestionnaire)
    nouvelle = sc.version_en_preparation(convention)
    assert nouvelle.numero == 2 and nouvelle.document.statut == "en_attente"
    assert not Document.objects.filter(pk=ratee.document_id).exists()
    assert list(convention.versions.order_by("numero").values_list("numero", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_a_loan_convention_uses_the_loan_template():
    convention = convention_creee(demande={"dispositif": DispositifFactory(nature=Nature.PRET)})
    assert "Convention de prêt" in _normalise(_texte(pdf_genere(convention)))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_asking_for_the_pdf_enqueues_the_task_which_a_real_worker_renders(celery_worker):
    from conftest import attendre
    from territoires.chargement import territoires_charger

    territoires_charger()
    convention = convention_creee()
    sc.convention_editer(convention_id=convention.pk, par=convention.gestionnaire)
    version = attendre(lambda: convention.versions.filter(document__statut="pret").first(), delai=60)
    convention.refresh_from_db()
    assert version.numero == 1 and convention.etape == Etape.EDITEE and sc.version_en_preparation(convention) is None
    assert convention.etapes.get(vers=Etape.EDITEE).par == convention.gestionnaire


@pytest.mark.django_db
def test_the_pdf_of_a_de_minimis_aid_tells_the_amount_its_nature_and_the_regulation():
    """Regulation (EU) 2023/2831, art. 6: the beneficiary is told in writing the amount, the de minimis
    nature, the regulation's title and its reference in the Official Journal."""
    from aides.catalogue.referentiels import RegimeAide

    convention = convention_creee(
        montant=Decimal("40000"),
        demande={"dispositif": DispositifFactory(regime=RegimeAide.DE_MINIMIS), "declaration_de_minimis_faite": True},
    )
    texte = _normalise(_texte(pdf_genere(convention)))
    assert "aide de minimis" in texte
    assert "40 000,00 € (quarante mille euros)" in texte
    assert (
        "règlement (UE) 2023/2831 de la Commission du 13 décembre 2023 relatif à l'application des articles 107 "
        "et 108 du traité sur le fonctionnement de l'Union européenne aux aides de minimis" in texte
    )
    assert "JO L, 2023/2831, 15.12.2023" in texte


@pytest.mark.django_db
def test_the_pdf_of_an_aid_under_another_regime_does_not_mention_de_minimis():
    from aides.catalogue.referentiels import RegimeAide

    convention = convention_creee(demande={"dispositif": DispositifFactory(regime=RegimeAide.RGEC)})
    assert "minimis" not in _normalise(_texte(pdf_genere(convention)))


@pytest.mark.django_db
def test_an_epci_co_funding_part_needs_an_epci_convention_in_force():
    from django.core.exceptions import ValidationError

    from aides.conventions.tests.factories import demande_accordee
    from territoires.models import EPCI, ConventionTerritoriale, TypeConvention
    from territoires.tests.factories import ConventionFactory

    amiens = EPCI.objects.get(siren="248000531")
    gestionnaire = AgentFactory(roles=[Role.GESTIONNAIRE_SAF])
    demande = demande_accordee(montant=Decimal("40000"))
    ConventionFactory(epci=amiens, type=TypeConvention.AIDES, statut=ConventionTerritoriale.Statut.EN_NEGOCIATION)
    ConventionFactory(epci=amiens, type=TypeConvention.CADRE)  # in force, but it does not let the EPCI fund
    with pytest.raises(ValidationError) as erreur:
        sc.convention_creer(demande_id=demande.pk, par=gestionnaire, part_epci=Decimal("5000"), epci=amiens)
    assert "aucune convention « Aides aux entreprises » en vigueur" in erreur.value.message_dict["epci"][0]
    ConventionFactory(epci=amiens, type=TypeConvention.AIDES)
    convention = sc.convention_creer(demande_id=demande.pk, par=gestionnaire, part_epci=Decimal("5000"), epci=amiens)
    assert convention.part_epci == Decimal("5000") and convention.epci == amiens
