"""The form engine: each question type, conditions, checks, blocks, eligibility, export."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from formulaires.export import colonnes, ligne_export
from formulaires.moteur import FormulaireDynamique

from .schemas import schema_complet

BASE = {"exercice_clos": "oui", "titre": "Nouvelle ligne", "export": "non"}


def poste(donnees: dict, **kwargs) -> FormulaireDynamique:
    data = QueryDict(mutable=True)
    for cle, valeur in {**BASE, **donnees}.items():
        data.setlist(cle, valeur if isinstance(valeur, list) else [valeur])
    for bloc in ("partenaires",):
        data.setdefault(f"{bloc}-TOTAL_FORMS", "3")
        data.setdefault(f"{bloc}-INITIAL_FORMS", "0")
    return FormulaireDynamique(schema_complet(), data, kwargs.pop("files", None), **kwargs)


def test_each_question_type_is_read_into_json_answers(db):
    formulaire = poste(
        {
            "resume": "Un projet",
            "effectif": "12",
            "budget": "12 500,50 €",
            "debut": "15/03/2026",
            "fin": "2026-06-01",
            "filiere": "Bois",
            "marches": ["Europe", "Asie"],
            "siret_partenaire": "732 829 320 00074",
            "commune_site": "80021",
        },
        files={"plan": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")},
    )
    assert formulaire.is_valid(), formulaire.erreurs()
    reponses = formulaire.reponses()
    assert reponses["budget"] == "12500.50"
    assert reponses["effectif"] == "12"
    assert reponses["debut"] == "2026-03-15"
    assert reponses["marches"] == ["Europe", "Asie"]
    assert reponses["siret_partenaire"] == "73282932000074"
    assert reponses["commune_site"] == "80021"
    assert reponses["plan"].name == "plan.pdf"
    assert "pays" not in reponses  # the section « Export » is hidden


def test_checks_refuse_out_of_bounds_values_with_french_messages(db):
    formulaire = poste(
        {
            "effectif": "300",
            "budget": "200000",
            "debut": "2025-12-31",
            "siret_partenaire": "12345678901234",
            "commune_site": "Paris",
            "filiere": "Acier",
        }  # fmt: skip
    )
    assert not formulaire.is_valid()
    erreurs = dict(formulaire.form.errors)
    assert set(erreurs) == {"effectif", "budget", "debut", "siret_partenaire", "commune_site", "filiere"}
    assert "postérieure ou égale à le 01/01/2026" in erreurs["debut"][0]
    assert "SIRET" in erreurs["siret_partenaire"][0]
    assert "Commune introuvable" in erreurs["commune_site"][0]


def test_a_date_after_another_answer(db):
    formulaire = poste({"debut": "2026-05-01", "fin": "2026-04-01"})
    assert not formulaire.is_valid()
    assert formulaire.form.errors["fin"] == ["La date doit être postérieure ou égale à « Debut »."]


def test_required_questions_are_asked_only_when_required_and_visible(db):
    assert poste({"titre": ""}).is_valid()  # a draft
    exige = poste({"titre": ""}, exiger_requis=True)
    assert not exige.is_valid()
    assert set(exige.form.errors) == {"titre"}  # « pays » is in a hidden section


def test_a_condition_shows_a_section_and_its_block_is_read(db):
    formulaire = poste(
        {"export": "oui", "pays": "Belgique", "partenaires-0-nom": "Wallonie Export", "partenaires-0-part": "1 000"},
        exiger_requis=True,
    )
    assert formulaire.is_valid(), formulaire.erreurs()
    assert [s.visible for s in formulaire.sections] == [True, True, True]
    assert formulaire.reponses()["partenaires"] == [{"nom": "Wallonie Export", "part": "1000"}]


def test_a_required_block_needs_a_line_and_a_started_line_is_completed(db):
    vide = poste({"export": "oui", "pays": "Belgique"}, exiger_requis=True)
    assert not vide.is_valid()
    assert any("au moins une ligne" in m for _, m in vide.erreurs())
    entamee = poste({"export": "oui", "pays": "Belgique", "partenaires-1-part": "10"})
    assert not entamee.is_valid()
    assert entamee.erreurs()[0][1] == "Partenaires, ligne 2, Nom : Complétez cette ligne ou videz-la."


def test_answers_of_a_hidden_section_are_dropped_even_when_invalid(db):
    formulaire = poste({"export": "non", "pays": "x", "partenaires-0-part": "pas un nombre"})
    assert formulaire.is_valid()
    assert "partenaires" not in formulaire.reponses()


def test_an_eligibility_answer_stops_with_its_reason(db):
    formulaire = poste({"exercice_clos": "non"}, seulement_eligibilite=True)
    assert formulaire.is_valid()
    assert [s.section["titre"] for s in formulaire.sections] == ["Éligibilité"]
    assert formulaire.blocage() == "Il faut un exercice clôturé."
    assert poste({}).blocage() is None


def test_saved_answers_come_back_as_initial_values(db):
    initial = {"titre": "T", "budget": "1500.00", "debut": "2026-03-01", "partenaires": [{"nom": "A", "part": "5"}],
               "export": "oui"}  # fmt: skip
    formulaire = FormulaireDynamique(schema_complet(), initial=initial)
    assert formulaire.form["budget"].value() == initial["budget"] or str(formulaire.form["budget"].value()) == "1500.00"
    assert formulaire.sections[2].visible
    assert formulaire.blocs["partenaires"].forms[0]["nom"].value() == "A"
    assert len(formulaire.blocs["partenaires"].forms) == 4  # the saved line and three empty lines


def test_export_has_one_column_per_question():
    schema = schema_complet()
    codes = [code for code, _ in colonnes(schema)]
    assert codes[:3] == ["exercice_clos", "titre", "resume"]
    assert len(codes) == 15
    ligne = ligne_export(schema, {"titre": "T", "marches": ["Europe", "Asie"], "export": "oui",
                                  "partenaires": [{"nom": "A", "part": "5"}]})  # fmt: skip
    assert ligne[codes.index("marches")] == "Europe, Asie"
    assert ligne[codes.index("export")] == "Oui"
    assert ligne[codes.index("partenaires")] == "Nom : A ; Part : 5"
