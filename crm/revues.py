"""Project reviews on the CRM side: the agenda (companies), minutes, decisions (CRM tasks), the agenda
and minutes as PDF, the sections added to territoires' review and EPCI pages, the timeline events.

The meeting itself (`territoires.RevueDeProjets`) belongs to territoires, which never imports the CRM:
the CRM registers its sections with `territoires.extensions` (see CrmConfig.ready()).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Greatest, TruncDate
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal import documents as documents_portail
from portal.models import Document, User
from territoires.acces import peut_modifier_revue
from territoires.extensions import Section
from territoires.models import EPCI, RevueDeProjets

from . import services
from .models import DocumentRevue, Entreprise, Etablissement, Interaction, PointRevue, Sollicitation, Tache
from .selectors import etablissements_rechercher, recherche_tolerante
from .timeline import Evenement, moment, source_enregistrer

GENRE_REVUE = "crm.revue"

SUGGESTIONS_MAX = 8

# --- Reads ------------------------------------------------------------------------------------------


def points_de_revue(revue: RevueDeProjets) -> QuerySet[PointRevue]:
    """The agenda with each company, its référent and the decisions (3 queries whatever the length)."""
    return (
        PointRevue.objects.filter(revue=revue)
        .select_related("entreprise__referent")
        .prefetch_related(
            Prefetch("decisions", queryset=Tache.objects.select_related("assignee").order_by("echeance", "pk"))
        )
        .order_by("ordre", "pk")
    )


def revues_de_l_epci(epci: EPCI) -> QuerySet[RevueDeProjets]:
    """The EPCI's reviews, latest first (the EPCI space of partenaires shows them)."""
    return RevueDeProjets.objects.filter(epcis=epci).order_by("-date")


def points_des_revues(revues) -> list[PointRevue]:
    """The agenda items of several reviews at once, in their order (one query)."""
    return list(PointRevue.objects.filter(revue__in=revues).select_related("revue").order_by("revue", "ordre"))


def entreprises_trouver(texte: str, *, limite: int = SUGGESTIONS_MAX) -> list[Entreprise]:
    """Companies of the CRM by SIREN, SIRET or name (accent-insensitive, typo-tolerant)."""
    texte = (texte or "").strip()
    chiffres = texte.replace(" ", "")
    if chiffres.isdigit() and len(chiffres) == 9:
        return list(Entreprise.objects.filter(siren=chiffres))
    if chiffres.isdigit() and len(chiffres) == 14:
        return list(Entreprise.objects.filter(etablissements__siret=chiffres))
    if not texte:
        return []
    with recherche_tolerante():
        ids = []
        for entreprise_id in etablissements_rechercher(texte=texte).values_list("entreprise_id", flat=True)[:200]:
            if entreprise_id not in ids:
                ids.append(entreprise_id)
            if len(ids) > limite:
                break
    par_id = Entreprise.objects.in_bulk(ids)
    return [par_id[i] for i in ids if i in par_id]


def documents_prets(revue: RevueDeProjets) -> dict[str, DocumentRevue]:
    """The latest ready PDF of each type."""
    derniers: dict[str, DocumentRevue] = {}
    prets = DocumentRevue.objects.filter(revue=revue, document__statut=Document.Statut.PRET).select_related("document")
    for document in prets.order_by("-document__pret_le")[:20]:
        derniers.setdefault(document.type, document)
    return derniers


# --- Writes -----------------------------------------------------------------------------------------


def _verifier_droit(revue: RevueDeProjets, par: User | None) -> None:
    if par is not None and not peut_modifier_revue(par, revue):
        raise ValidationError(
            "Seuls le pilotage, les chargés de mission affectés à ses EPCI et ses participants de la Région "
            "modifient cette revue de projets."
        )


@transaction.atomic
def point_ajouter(*, revue: RevueDeProjets, entreprise: Entreprise, sujet: str, par: User | None) -> PointRevue:
    _verifier_droit(revue, par)
    # Lock the review so two agents adding at once get distinct positions.
    RevueDeProjets.objects.select_for_update().filter(pk=revue.pk).first()
    dernier = PointRevue.objects.filter(revue=revue).aggregate(m=Max("ordre"))["m"] or 0
    point = PointRevue(revue=revue, entreprise=entreprise, sujet=sujet, ordre=dernier + 1, ajoute_par=par)
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def point_retirer(*, point: PointRevue, par: User | None) -> None:
    _verifier_droit(point.revue, par)
    point.delete()  # its decisions stay as tasks (SET_NULL): they were given to someone


@transaction.atomic
def compte_rendu_enregistrer(*, revue: RevueDeProjets, textes: dict[int, str], par: User | None) -> int:
    """Save the minutes of several items at once: {point id: text}. Returns how many changed."""
    _verifier_droit(revue, par)
    changes = 0
    for point in PointRevue.objects.filter(revue=revue, pk__in=list(textes)).select_for_update():
        texte = textes[point.pk].strip()
        if texte != point.compte_rendu:
            point.compte_rendu = texte
            point.full_clean()
            point.save(update_fields=["compte_rendu", "modifie_le"])
            changes += 1
    return changes


@transaction.atomic
def decision_ajouter(*, point: PointRevue, titre: str, assignee: User, echeance: date, par: User) -> Tache:
    """A decision is a CRM task on the item's company, tied to the item; its assignee is notified."""
    _verifier_droit(point.revue, par)
    if not assignee.est_agent:
        raise ValidationError({"assignee": "La tâche doit être confiée à un agent de la Région."})
    return services.tache_creer(
        entreprise=point.entreprise, titre=titre, assignee=assignee, echeance=echeance, cree_par=par, point_revue=point
    )


@transaction.atomic
def document_demander(*, revue: RevueDeProjets, type: str, par: User | None) -> DocumentRevue:
    """Ask for the PDF of the agenda or minutes; a second click while it is being prepared gets the
    same one."""
    document, cree = documents_portail.document_demander(genre=GENRE_REVUE, cle=f"{revue.pk}:{type}", par=par)
    if not cree:
        return document.document_revue
    document_revue = DocumentRevue(revue=revue, type=type, document=document)
    document_revue.full_clean()
    document_revue.save()
    return document_revue


def revue_pdf_html(revue: RevueDeProjets, type: str, *, le=None) -> str:
    revue = (
        RevueDeProjets.objects.prefetch_related(
            Prefetch("epcis", queryset=EPCI.objects.defer("contour").order_by("nom")),
            Prefetch("participants_internes", queryset=User.objects.select_related("direction").order_by("last_name")),
        )
    ).get(pk=revue.pk)
    return render_to_string(
        "crm/revue_pdf.html",
        {
            "revue": revue,
            "points": list(points_de_revue(revue)),
            "compte_rendu": type == DocumentRevue.Type.COMPTE_RENDU,
            "titre": DocumentRevue.Type(type).label,
            "le": timezone.localtime(le or timezone.now()),
        },
    )


def revue_pdf_rendre(revue: RevueDeProjets, type: str, *, le=None) -> bytes:
    from weasyprint import HTML  # heavy import: only in the worker that renders

    return HTML(string=revue_pdf_html(revue, type, le=le)).write_pdf()


def revue_pdf(document: Document) -> bytes:
    """The generator of GENRE_REVUE (registered in CrmConfig.ready)."""
    document_revue = DocumentRevue.objects.select_related("revue").get(document=document)
    return revue_pdf_rendre(document_revue.revue, document_revue.type, le=document.cree_le)


# --- Sections on territoires' pages ---------------------------------------------------------------


def section_revue(revue: RevueDeProjets, request, formulaires: dict | None = None) -> Section:
    """The review page's agenda, minutes, decisions and PDFs, with their forms (`formulaires`: the
    ones a view rejected, shown again with their errors)."""
    from .forms_revues import (  # here: at the top it would close an import cycle
        CompteRenduForm,
        DecisionForm,
        PointRevueForm,
    )

    points = list(points_de_revue(revue))
    formulaires = formulaires or {}
    peut_modifier = peut_modifier_revue(request.user, revue)
    prets = documents_prets(revue)
    contexte = {
        "revue": revue,
        "points": points,
        "peut_modifier": peut_modifier,
        "documents": [(code, libelle, prets.get(code)) for code, libelle in DocumentRevue.Type.choices],
    }
    if peut_modifier:
        contexte.update(
            point_form=formulaires.get("point") or PointRevueForm(),
            compte_rendu_form=formulaires.get("compte_rendu") or CompteRenduForm(points=points),
            decision_form=formulaires.get("decision") or DecisionForm(points=points),
        )
    return Section("Ordre du jour et compte rendu", "crm/revues/_section_revue.html", contexte)


ENTREPRISES_AFFICHEES = 20


def entreprises_accompagnees(epci: EPCI) -> QuerySet[Entreprise]:
    """Companies with an interaction on one of the EPCI's establishments or a request from its communes."""
    interactions = Interaction.objects.filter(etablissement__commune__epci=epci)
    sollicitations = Sollicitation.objects.filter(commune__epci=epci, entreprise__isnull=False)
    derniere_interaction = interactions.filter(entreprise=OuterRef("pk")).order_by("-date").values("date")[:1]
    derniere_demande = (
        sollicitations.filter(entreprise=OuterRef("pk"))
        .annotate(jour=TruncDate("cree_le"))
        .order_by("-cree_le")
        .values("jour")[:1]
    )
    commune = (
        Etablissement.objects.filter(entreprise=OuterRef("pk"), commune__epci=epci)
        .order_by("-siege", "siret")
        .values("commune__nom")[:1]
    )
    return (
        Entreprise.objects.filter(
            Q(pk__in=interactions.values("entreprise_id")) | Q(pk__in=sollicitations.values("entreprise_id"))
        )
        .select_related("referent")
        .annotate(
            derniere_interaction=Subquery(derniere_interaction),
            derniere_demande=Subquery(derniere_demande),
            commune_territoire=Subquery(commune),
        )
        .annotate(dernier_contact=Greatest("derniere_interaction", "derniere_demande"))
        .order_by(F("dernier_contact").desc(nulls_last=True), "denomination")
    )


def section_epci_entreprises(epci: EPCI, request) -> Section:
    qs = entreprises_accompagnees(epci)
    lignes = list(qs[: ENTREPRISES_AFFICHEES + 1])
    total = len(lignes) if len(lignes) <= ENTREPRISES_AFFICHEES else qs.count()
    return Section(
        "Entreprises du territoire accompagnées",
        "crm/revues/_section_epci_entreprises.html",
        {
            "epci": epci,
            "entreprises": lignes[:ENTREPRISES_AFFICHEES],
            "total": total,
            "url_recherche": f"{reverse('crm_agents:recherche')}?epci={epci.pk}",
        },
    )


@dataclass
class DelaisTerritoire:
    jours: int
    recues: int
    ouvertes: int
    repondues: int
    delai_reponse: float | None  # median, working days
    delai_prise_en_charge: float | None
    plus_anciennes: list


DEMANDES_PERIODE_JOURS = 365
DEMANDES_LIMITE = 1000
DEMANDES_OUVERTES_AFFICHEES = 10


def delais_territoire(epci: EPCI, *, jours: int = DEMANDES_PERIODE_JOURS) -> DelaisTerritoire:
    """Requests from the EPCI's communes over `jours` days and their median delays (2 queries)."""
    depuis = timezone.now() - timedelta(days=jours)
    lignes = list(
        Sollicitation.objects.filter(commune__epci=epci, cree_le__gte=depuis)
        .only("cree_le", "prise_en_charge_le", "repondue_le", "close_le", "statut")
        .order_by("-cree_le")[:DEMANDES_LIMITE]
    )
    prises = [s.delai_prise_en_charge for s in lignes if s.prise_en_charge_le]
    reponses = [s.delai_reponse for s in lignes if s.repondue_le]
    ouvertes = (
        Sollicitation.objects.ouvertes()
        .filter(commune__epci=epci)
        .select_related("commune", "direction")
        .order_by("cree_le")[:DEMANDES_OUVERTES_AFFICHEES]
    )
    return DelaisTerritoire(
        jours=jours,
        recues=len(lignes),
        ouvertes=sum(1 for s in lignes if s.est_ouverte),
        repondues=len(reponses),
        delai_reponse=median(reponses) if reponses else None,
        delai_prise_en_charge=median(prises) if prises else None,
        plus_anciennes=list(ouvertes),
    )


def section_epci_sollicitations(epci: EPCI, request) -> Section:
    return Section(
        "Demandes reçues et délais de réponse",
        "crm/revues/_section_epci_sollicitations.html",
        {"delais": delais_territoire(epci)},
    )


# --- Company timeline ------------------------------------------------------------------------------


@source_enregistrer
def evenements_revues(entreprise: Entreprise) -> list[Evenement]:
    evenements = []
    for point in (
        PointRevue.objects.filter(entreprise=entreprise)
        .select_related("revue")
        .prefetch_related(Prefetch("decisions", queryset=Tache.objects.select_related("assignee")))
    ):
        evenements.append(
            Evenement(
                quand=moment(point.revue.date),
                genre="revue",
                libelle="Revue de projets",
                titre=point.sujet,
                url=reverse("crm_agents:revue-detail", args=[point.revue_id]) + f"#point-{point.pk}",
                resume=point.compte_rendu,
                objet=point,
                gabarit="crm/evenements/_point_revue.html",
            )
        )
    return evenements
