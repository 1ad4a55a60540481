"""Words users read: French plurals, years, file sizes, direction names, no known slip on a page."""

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags

from crm.forms import SollicitationPubliqueForm
from parcours import naf
from portal.models import Direction
from portal.roles import DIRECTIONS, Role
from portal.templatetags.portail import annee, format_taille, minuscule_initiale, pluriel

NBSP = "\u00a0"

# Each slip seen on the demo, as a pattern that must never appear on a rendered page.
FAUTES = {
    "article devant section/division": r"\b(le|au) (section|division) ",
    "« c'est le vôtre »": r"c'est le vôtre",
    "« signée par bénéficiaire »": r"signée par (bénéficiaire|région)",
    "« montant ht »": r"montant ht\b",
    "« 1 aides »": r"\b[01] aides\b",
    "« Etablissement » sans accent": r"\bEtablissement\b",
    "année avec séparateur de milliers": (
        r"(?<!\d)(?<!\d[\s\u00a0\u202f])[12][\s\u00a0\u202f][09]\d{2}\b(?![,.]\d|[\s\u00a0\u202f]*(\d|€))"
    ),
    "Kio / Mio": r"\b[KMG]io\b",
}


def fautes_dans(texte: str) -> list[str]:
    """The slips in a page, read as HTML and as the text a screen reader gets (tags removed)."""
    lu = strip_tags(texte)
    return [nom for nom, motif in FAUTES.items() if re.search(motif, texte) or re.search(motif, lu)]


# --- The filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nombre", "attendu"),
    [(0, ""), (1, ""), (1.5, ""), ("1", ""), (2, "s"), (12, "s"), ([1], ""), ([1, 2], "s"), (None, "")],
)
def test_pluriel_follows_the_french_rule(nombre, attendu):
    assert pluriel(nombre) == attendu


def test_pluriel_takes_other_endings():
    assert pluriel(3, "ent") == "ent"
    assert pluriel(1, "al,aux") == "al"
    assert pluriel(3, "al,aux") == "aux"


def test_a_year_has_no_thousands_separator_while_a_number_has_one():
    assert settings.USE_THOUSAND_SEPARATOR
    gabarit = engines["django"].from_string("{{ a }}|{{ a|annee }}")
    assert gabarit.render({"a": 2025}) == f"2{NBSP}025|2025"
    assert annee(None) == ""


@pytest.mark.parametrize(
    ("octets", "attendu"),
    [
        (0, "0 octet"),
        (512, "512 octets"),
        (1024, "1 Ko"),
        (12 * 1024 + 300, "12 Ko"),
        (1536 * 1024, "1,5 Mo"),
        (250 * 1024 * 1024, "250 Mo"),
        (3 * 1024**3, "3 Go"),
    ],
)
def test_file_sizes_in_french_units(octets, attendu):
    assert format_taille(octets) == attendu.replace(" ", NBSP)


def test_a_label_loses_its_capital_but_not_its_acronym():
    assert minuscule_initiale("Montant HT (€)") == "montant HT (€)"
    assert minuscule_initiale("HT") == "HT"
    assert minuscule_initiale("Nature") == "nature"


def test_templates_use_the_french_filters_only():
    """Django's `pluralize` says « 0 aides » and `filesizeformat` « Kio »: the templates use ours."""
    racine = settings.BASE_DIR / "templates"
    fautifs = [
        str(chemin.relative_to(racine))
        for chemin in racine.rglob("*")
        if chemin.is_file() and re.search(r"\|(pluralize|filesizeformat)\b", chemin.read_text())
    ]
    assert fautifs == []


def test_templates_never_group_the_digits_of_an_id_or_a_year():
    """USE_THOUSAND_SEPARATOR writes 1234 as « 1 234 »: an id sent back in a form or a link would no
    longer be read (a company switch answered 404 once the database held 1,000 companies), and a
    year would read « 2 026 ». Ids go through `unlocalize`, years through `annee`."""
    racine = settings.BASE_DIR / "templates"
    motif = re.compile(r"\{\{ ?[a-z_][a-z0-9_.]*(\.pk|\.id|[a-z]_id|annee|exercice) ?\}\}")
    fautifs = [
        f"{chemin.relative_to(racine)}: {trouve.group(0)}"
        for chemin in racine.rglob("*.html")
        for trouve in motif.finditer(chemin.read_text())
        if not trouve.group(0).endswith(("auto_id }}", "source_id }}"))
    ]
    assert fautifs == []


# --- NAF sectors in the parcours' reasons ------------------------------------------------------


def test_naf_labels_take_their_article():
    assert naf.avec_article("A").startswith("la section A (")
    assert naf.a_avec_article("47").startswith("à la division 47 (")
    assert naf.a_avec_article("10.71C").startswith("au code 10.71C")


# --- Directions ---------------------------------------------------------------------------------


def test_every_direction_has_a_name_beyond_its_code():
    for code, nom in DIRECTIONS:
        assert nom != code
        assert code not in nom


@pytest.mark.django_db
def test_a_direction_reads_with_its_name_then_its_code():
    direction = Direction.objects.get(code="DAEN")
    assert str(direction) == f"{direction.nom} (DAEN)"
    assert direction.nom == dict(DIRECTIONS)["DAEN"]


@pytest.mark.django_db
def test_a_direction_created_with_its_bare_code_gets_its_name_after_migrate():
    from portal.apps import creer_referentiels

    Direction.objects.filter(code="DPEAP").update(nom="DPEAP")
    Direction.objects.filter(code="DFP").update(nom="Formation (nom choisi dans l'admin)")
    creer_referentiels()
    assert Direction.objects.get(code="DPEAP").nom == dict(DIRECTIONS)["DPEAP"]
    assert Direction.objects.get(code="DFP").nom == "Formation (nom choisi dans l'admin)"


@pytest.mark.django_db
def test_the_public_aid_page_names_its_direction(client):
    from aides.catalogue.tests.factories import DispositifFactory

    dispositif = DispositifFactory(direction=Direction.objects.get(code="DPEAP"))
    page = client.get(f"/aides/{dispositif.slug}/").content.decode()
    assert escape(str(Direction.objects.get(code="DPEAP"))) in page
    assert not re.search(r"<dd>\s*DPEAP\s*</dd>", page)


# --- The contact form's « facultatif » note -----------------------------------------------------


def test_every_optional_field_of_the_contact_form_says_so():
    form = SollicitationPubliqueForm()
    optionnels = [nom for nom, champ in form.fields.items() if not champ.required]
    assert optionnels
    for nom in optionnels:
        assert "facultatif" in form.fields[nom].label, nom
    for nom, champ in form.fields.items():
        if champ.required:
            assert "facultatif" not in champ.label, nom


# --- The favicon --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_links_a_favicon_that_exists(client):
    page = client.get("/").content.decode()
    lien = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert lien
    assert (settings.BASE_DIR / "static" / "images" / "favicon.svg").is_file()
    reponse = client.get("/favicon.ico")
    assert reponse.status_code == 301
    assert reponse["Location"] == lien.group(1)


# --- Rendered pages: none of the slips ------------------------------------------------------------


def test_the_slip_patterns_catch_the_slips():
    for exemple in [
        "ouverte à tous les secteurs sauf le section A",
        "ouverte au division 10 : c'est le vôtre",
        "signée par bénéficiaire",
        "Dépense, ligne 1, montant ht (€) : requis",
        "1 aides trouvées",
        "Etablissement : 123",
        f"2{NBSP}025",
        "(12,3 Kio)",
    ]:
        assert fautes_dans(exemple), exemple
    assert not fautes_dans(
        f"Montant : 12{NBSP}500,00{NBSP}€ en 2025, 20{NBSP}000,00{NBSP}€, 2{NBSP}050{NBSP}000{NBSP}€, "
        "1 aide, Établissement"
    )


@pytest.mark.django_db
def test_the_signature_email_names_who_signed():
    signature = SimpleNamespace(
        partie="beneficiaire", signataire=SimpleNamespace(email="gerante@exemple.fr"), le=timezone.now()
    )
    contexte = {"convention": SimpleNamespace(numero="2026-DAEN-00001"), "signature": signature}
    for gabarit in ["convention_signee_sujet.txt", "convention_signee_corps.txt", "convention_signee_corps.html"]:
        texte = render_to_string(f"emails/{gabarit}", contexte)
        assert "signée par le bénéficiaire" in texte
        assert not fautes_dans(texte)
    signature.partie = "region"
    assert "signée par la Région" in render_to_string("emails/convention_signee_corps.txt", contexte)


@pytest.mark.django_db
def test_pages_with_years_sizes_and_counts_have_no_slip(client, creer_agent):
    from aides.catalogue.tests.factories import DispositifFactory
    from aides.demandes.services import demande as services
    from aides.demandes.tests.factories import DemandeFactory, piece_pour
    from territoires.models import EngagementAnnuel
    from territoires.tests.factories import ConventionFactory

    DispositifFactory(nom="Seule aide à l'export", resume="Exporter.", thematiques=["export-attractivite"])
    convention = ConventionFactory()
    EngagementAnnuel.objects.create(convention=convention, annee=2025)
    instructeur = creer_agent(Role.INSTRUCTEUR)
    demande = DemandeFactory()
    piece_pour(demande)
    demande, _ = services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    services.instruction_commencer(demande_id=demande.pk, version=demande.version, par=instructeur)

    pages = {
        "/": None,
        "/aides/?q=export": None,
        "/contact/": None,
        reverse("territoires_agents:convention-detail", args=[convention.pk]): creer_agent(Role.PILOTAGE),
        reverse("aides_instruction:demande", args=[demande.pk]): instructeur,
        reverse("espace:demande", args=[demande.pk]): demande.demandeur,
    }
    for url, utilisateur in pages.items():
        client.logout()
        if utilisateur:
            client.force_login(utilisateur)
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        texte = reponse.content.decode()
        assert fautes_dans(texte) == [], url
        if "convention" in url:
            assert "2025" in texte
    client.force_login(instructeur)
    page_instruction = client.get(reverse("aides_instruction:demande", args=[demande.pk])).content.decode()
    assert re.search(r"devis\.pdf</a> \(\d+(,\d)?\u00a0(octets?|Ko|Mo)\)", page_instruction)
