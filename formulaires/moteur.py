"""The form of a version: a Django form (one field per question) and one formset per repeated
block, built from the frozen schema; conditions, checks, eligibility and the answers as JSON.

Nothing here is required while a draft is written (`exiger_requis=False`): the host app asks for
completeness at the step that needs it (a deposit). A section whose condition is not met is not
checked and its answers are dropped."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone

from .champs import champ_django, classes_bootstrap
from .models import TypeChamp
from .schema import AUJOURDHUI

LIGNES_MAX = 100
LIGNES_VIDES = 3  # empty lines offered (without JavaScript, saving offers three more)


class LigneBlocForm(forms.Form):
    """One line of a repeated block; an empty line is ignored, a started one is completed."""

    def __init__(self, *args, colonnes: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.colonnes = colonnes
        for colonne in colonnes:
            self.fields[colonne["code"]] = champ_django(colonne, requis=False)
        classes_bootstrap(self)

    def clean(self):
        donnees = super().clean()
        if any(v not in (None, "", []) for v in donnees.values()):
            for colonne in self.colonnes:
                if (
                    colonne["requis"]
                    and donnees.get(colonne["code"]) in (None, "", [])
                    and colonne["code"] not in self.errors
                ):
                    self.add_error(colonne["code"], "Complétez cette ligne ou videz-la.")
        return donnees


class BlocFormSet(forms.BaseFormSet):
    def lignes_remplies(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and any(v not in (None, "", []) for v in f.cleaned_data.values())
        ]


@dataclass
class SectionRendue:
    section: dict
    visible: bool
    elements: list = field(default_factory=list)  # (question, BoundField | formset)


def en_json(valeur):
    if isinstance(valeur, Decimal):
        return str(valeur)
    if isinstance(valeur, date):
        return valeur.isoformat()
    return valeur


def depuis_json(champ: dict, valeur):
    if valeur in (None, ""):
        return valeur
    if champ["type"] in (TypeChamp.MONTANT, TypeChamp.NOMBRE):
        return Decimal(str(valeur))
    if champ["type"] == TypeChamp.DATE and isinstance(valeur, str):
        return date.fromisoformat(valeur)
    return valeur


def _repond(valeur, attendue: str) -> bool:
    if isinstance(valeur, (list, tuple)):
        return attendue in valeur
    return valeur == attendue


class FormulaireDynamique:
    """`initial`: the answers already saved (JSON, as `reponses()` gives them)."""

    def __init__(
        self,
        schema: dict,
        data=None,
        files=None,
        *,
        initial: dict | None = None,
        exiger_requis: bool = False,
        fabrique_fichier=None,
        seulement_eligibilite: bool = False,
    ):
        self.schema = schema
        self.initial = initial or {}
        self.est_lie = data is not None
        sections = [s for s in schema.get("sections", []) if s.get("eligibilite") or not seulement_eligibilite]
        self.questions = {c["code"]: c for s in sections for c in s["champs"]}
        valeurs_initiales = {
            code: depuis_json(c, self.initial.get(code))
            for code, c in self.questions.items()
            if c["type"] != TypeChamp.BLOC and code in self.initial
        }
        self.form = forms.Form(data, files, initial=valeurs_initiales)
        self.blocs: dict[str, BlocFormSet] = {}
        visibles = self._visibilites(sections, data)
        self.sections: list[SectionRendue] = []
        for section in sections:
            rendue = SectionRendue(section=section, visible=visibles[section["code"]])
            requis = exiger_requis and rendue.visible
            for champ in section["champs"]:
                if champ["type"] == TypeChamp.BLOC:
                    self.blocs[champ["code"]] = self._formset(champ, data)
                    rendue.elements.append((champ, self.blocs[champ["code"]]))
                else:
                    self.form.fields[champ["code"]] = champ_django(
                        champ, requis=requis and champ["requis"], fabrique_fichier=fabrique_fichier
                    )
            self.sections.append(rendue)
        self.exiger_requis = exiger_requis
        classes_bootstrap(self.form)
        for rendue in self.sections:
            rendue.elements = [
                (c, self.blocs[c["code"]] if c["type"] == TypeChamp.BLOC else self.form[c["code"]])
                for c in rendue.section["champs"]
            ]
        self._valide: bool | None = None

    # --- Building ---------------------------------------------------------------------------------

    def _formset(self, champ: dict, data) -> BlocFormSet:
        lignes = [
            {c["code"]: depuis_json(c, ligne.get(c["code"])) for c in champ["champs"]}
            for ligne in self.initial.get(champ["code"]) or []
        ]
        classe = forms.formset_factory(
            LigneBlocForm,
            formset=BlocFormSet,
            extra=LIGNES_VIDES,
            max_num=LIGNES_MAX,
            absolute_max=LIGNES_MAX,
        )
        # Bound: what was posted only (an extra line equal to its initial value would count as empty).
        initial = None if data is not None else lignes or None
        return classe(data, prefix=champ["code"], initial=initial, form_kwargs={"colonnes": champ["champs"]})

    def _brute(self, code: str, data):
        """An answer before it is checked: what was posted, else what was saved."""
        champ = self.questions.get(code)
        if champ is None:
            return None
        if data is not None:
            if champ["type"] == TypeChamp.CHOIX_MULTIPLE:
                return data.getlist(code) if hasattr(data, "getlist") else data.get(code, [])
            return data.get(code)
        return self.initial.get(code)

    def _visibilites(self, sections: list[dict], data) -> dict[str, bool]:
        visibles: dict[str, bool] = {}
        section_de = {c["code"]: s["code"] for s in sections for c in s["champs"]}
        for section in sections:
            condition = section.get("condition")
            if not condition:
                visibles[section["code"]] = True
                continue
            source = section_de.get(condition["champ"])
            visibles[section["code"]] = bool(
                source
                and visibles.get(source, False)
                and _repond(self._brute(condition["champ"], data), condition["valeur"])
            )
        return visibles

    # --- Checking ---------------------------------------------------------------------------------

    def is_valid(self) -> bool:
        if self._valide is not None:
            return self._valide
        self.form.is_valid()
        blocs_valides = True
        for rendue in self.sections:
            for champ in rendue.section["champs"]:
                code = champ["code"]
                if not rendue.visible:
                    self.form._errors.pop(code, None)
                    self.form.cleaned_data.pop(code, None)
                    continue
                if champ["type"] == TypeChamp.BLOC:
                    formset = self.blocs[code]
                    blocs_valides &= formset.is_valid()
                    if formset.is_valid() and self.exiger_requis and champ["requis"] and not formset.lignes_remplies():
                        formset._non_form_errors = formset.error_class(
                            [f"Remplissez au moins une ligne : {champ['libelle']}."]
                        )
                        blocs_valides = False
                elif champ["type"] == TypeChamp.DATE and code in self.form.cleaned_data:
                    self._verifier_dates(champ)
        self._valide = not self.form._errors and blocs_valides
        return self._valide

    def _borne_date(self, reference: str) -> tuple[date | None, str]:
        if reference == AUJOURDHUI:
            jour = timezone.localdate()
            return jour, f"aujourd'hui ({jour:%d/%m/%Y})"
        if reference in self.questions:
            return self.form.cleaned_data.get(reference), f"« {self.questions[reference]['libelle']} »"
        jour = date.fromisoformat(reference)
        return jour, f"le {jour:%d/%m/%Y}"

    def _verifier_dates(self, champ: dict) -> None:
        valeur = self.form.cleaned_data.get(champ["code"])
        if valeur is None:
            return
        for cle, sens in (("date_min", "avant"), ("date_max", "après")):
            if not champ.get(cle):
                continue
            borne, libelle = self._borne_date(champ[cle])
            if borne is None:
                continue
            if (sens == "avant" and valeur < borne) or (sens == "après" and valeur > borne):
                attendu = "postérieure ou égale à" if sens == "avant" else "antérieure ou égale à"
                self.form.add_error(champ["code"], f"La date doit être {attendu} {libelle}.")

    def blocage(self) -> str | None:
        """The reason to stop, when an answer to an eligibility question is a blocking one."""
        donnees = getattr(self.form, "cleaned_data", None) or {}
        for rendue in self.sections:
            if not (rendue.visible and rendue.section.get("eligibilite")):
                continue
            for champ in rendue.section["champs"]:
                bloquant = champ.get("bloquant")
                valeur = donnees.get(champ["code"]) if self.est_lie else self.initial.get(champ["code"])
                if bloquant and valeur and any(_repond(valeur, v) for v in bloquant["valeurs"]):
                    return bloquant["motif"] or (
                        f"Votre réponse à « {champ['libelle']} » ne permet pas de bénéficier de ce dispositif."
                    )
        return None

    # --- Reading ----------------------------------------------------------------------------------

    def reponses(self) -> dict:
        """The answers of the visible sections, JSON-ready; a file question keeps the value its
        field cleaned to (the host app stores the file and puts its own reference instead)."""
        resultat = {}
        for rendue in self.sections:
            if not rendue.visible:
                continue
            for champ in rendue.section["champs"]:
                code = champ["code"]
                if champ["type"] == TypeChamp.BLOC:
                    resultat[code] = [
                        {k: en_json(v) for k, v in ligne.items()} for ligne in self.blocs[code].lignes_remplies()
                    ]
                elif champ["type"] == TypeChamp.FICHIER:
                    resultat[code] = self.form.cleaned_data.get(code) or self.initial.get(code)
                else:
                    resultat[code] = en_json(self.form.cleaned_data.get(code))
        return resultat

    def erreurs(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary at the top of the page."""
        liste = []
        for rendue in self.sections:
            for champ, element in rendue.elements:
                if isinstance(element, BlocFormSet):
                    for erreur in element.non_form_errors():
                        liste.append((f"bloc-{champ['code']}", erreur))
                    for numero, ligne in enumerate(element.forms, start=1):
                        for nom, erreurs in ligne.errors.items():
                            libelle = ligne.fields[nom].label if nom in ligne.fields else champ["libelle"]
                            for erreur in erreurs:
                                liste.append(
                                    (
                                        ligne[nom].id_for_label,
                                        f"{champ['libelle']}, ligne {numero}, {libelle} : {erreur}",
                                    )
                                )
                else:
                    for erreur in element.errors:
                        liste.append((element.id_for_label or f"id_{champ['code']}", f"{champ['libelle']} : {erreur}"))
        return liste
