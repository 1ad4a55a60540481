"""Stored files and documents rendered in the background (PDFs), in one place for every app.

An app registers each kind of document it renders, in its AppConfig.ready():

    genre_enregistrer("parcours.synthese", generer=synthese_pdf, lisible=lambda request, d: True,
                      url_fichier=lambda d: reverse("parcours:synthese-fichier", args=[d.synthese_parcours.pk]))

and keeps its own row (the business data: which review, which year, which profile) pointing to a
`portal.Document` (one-to-one). `document_demander` writes the Document and a `Travail` in the
caller's transaction; after commit the Travail runs `document_generer`, which moves the document
through the one state machine

    en attente → en cours → prêt
                          ↘ échec → en cours (the Travail's retries and the sweep)

and stores the file under a name chosen by the server, with its SHA-256. Every page that waits for a
document includes templates/portal/_document_en_preparation.html, polled by
static/js/document-en-preparation.js on the one JSON endpoint `portal:document-etat`, whose access
check is the kind's `lisible` (an outsider gets 404).

An uploaded file is a Document too: its kind is registered without `generer`, `document_deposer`
stores a file already checked by the one checker (portal.verification.fichier_verifier) under a name
chosen by the server, « prêt » at once, and the owner row points to it. Either way the file is served
only by `document_reponse`, after the owner's access check, and deleted with `documents_supprimer`.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .fichiers import enregistrer_avec_fichier, reponse_fichier
from .models import Document, User
from .travaux import travail_demander
from .verification import FichierVerifie

EN_PREPARATION = (Document.Statut.EN_ATTENTE, Document.Statut.EN_COURS)
# Which state may follow which: the conditional updates below enforce it.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Document.Statut.EN_ATTENTE: (Document.Statut.EN_COURS,),
    Document.Statut.EN_COURS: (Document.Statut.PRET, Document.Statut.ECHEC, Document.Statut.EN_COURS),
    Document.Statut.ECHEC: (Document.Statut.EN_COURS,),
    Document.Statut.PRET: (),
}


@dataclass(frozen=True)
class GenreDocument:
    lisible: Callable[[HttpRequest, Document], bool]  # may this request see it (else 404)
    url_fichier: Callable[[Document], str]  # the access-checked download view of the owner
    # The file's content, from the owner row's data; None for an uploaded kind (document_deposer).
    generer: Callable[[Document], bytes] | None = None
    extension: str = ".pdf"
    type_mime: str = "application/pdf"
    # What the owner does once the rendered file is stored, in the same transaction (a convention's
    # first version moves it to « éditée »); None: nothing.
    apres_stockage: Callable[[Document], None] | None = None


GENRES: dict[str, GenreDocument] = {}


def genre_enregistrer(genre: str, **options) -> None:
    GENRES[genre] = GenreDocument(**options)


@transaction.atomic
def document_demander(*, genre: str, cle: str = "", par: User | None = None) -> tuple[Document, bool]:
    """Ask for a document of `genre`; (document, True) when this call created it.

    A second request with the same non-empty `cle` while the first is still being prepared (a double
    click, two tabs) gets the pending document, never a second job."""
    if genre not in GENRES or GENRES[genre].generer is None:
        raise ValueError(f"Type de document généré inconnu : {genre}")
    if cle and (existant := Document.objects.filter(genre=genre, cle=cle, statut__in=EN_PREPARATION).first()):
        return existant, False
    document = Document(
        genre=genre, cle=cle, type_mime=GENRES[genre].type_mime, demande_par=par if par and par.pk else None
    )
    document.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # the same request committed in between: the unique pending key refused ours
        return Document.objects.get(genre=genre, cle=cle, statut__in=EN_PREPARATION), False
    travail_demander("portal.documents.document_generer", document_id=str(document.pk))
    return document, True


def document_generer(*, document_id: str) -> bool:
    """Run by the Travail (claimed once): render with the kind's generator and store. A failure marks
    the document « échec » and is raised again, so that the Travail retries it (back « en cours »)."""
    pris = Document.objects.filter(
        pk=document_id, statut__in=[s for s, suivants in TRANSITIONS.items() if Document.Statut.EN_COURS in suivants]
    ).update(statut=Document.Statut.EN_COURS, erreur="")
    if not pris:
        return False  # ready already, or gone
    document = Document.objects.get(pk=document_id)
    genre = GENRES[document.genre]
    try:
        contenu = genre.generer(document)
    except Exception as erreur:
        Document.objects.filter(pk=document_id, statut=Document.Statut.EN_COURS).update(
            statut=Document.Statut.ECHEC, erreur=f"{type(erreur).__name__} : {erreur}"[:2000]
        )
        raise
    try:
        with transaction.atomic():  # the stored document and the owner's follow-up commit together
            document_stocker(document, contenu=contenu)
            if genre.apres_stockage:
                genre.apres_stockage(document)
    except Exception:
        document.fichier.delete(save=False)  # rolled back: no file without its row; the Travail retries
        raise
    return True


def document_stocker(document: Document, *, contenu: bytes) -> Document:
    """Store the rendered content under a server-chosen name: the document is « prêt »."""
    document.sha256 = hashlib.sha256(contenu).hexdigest()
    document.taille = len(contenu)
    document.statut = Document.Statut.PRET
    document.pret_le = timezone.now()
    document.erreur = ""
    enregistrer_avec_fichier(document, nom=f"document{GENRES[document.genre].extension}", contenu=ContentFile(contenu))
    return document


def document_deposer(verifie: FichierVerifie, *, genre: str, par: User | None = None) -> Document:
    """Store an upload already checked by `fichier_verifier` as a « prêt » Document of `genre`, under
    a name chosen by the server (only its extension comes from the checked name). The caller saves
    its own row pointing to it, in the same transaction."""
    if genre not in GENRES or GENRES[genre].generer is not None:
        raise ValueError(f"Type de fichier déposé inconnu : {genre}")
    document = Document(
        genre=genre,
        statut=Document.Statut.PRET,
        type_mime=verifie.type_mime,
        taille=verifie.taille,
        sha256=verifie.sha256,
        pret_le=timezone.now(),
        demande_par=par if par and par.pk else None,
    )
    enregistrer_avec_fichier(document, nom=verifie.nom_original, contenu=verifie.fichier)
    return document


def document_lisible(request: HttpRequest, pk, *, genre: str | None = None) -> Document:
    """The access-checked getter: the document if this request may see it, else 404."""
    document = get_object_or_404(Document, pk=pk, **({"genre": genre} if genre else {}))
    regles = GENRES.get(document.genre)
    if regles is None or not regles.lisible(request, document):
        raise Http404("Document introuvable.")
    return document


def document_etat(document: Document) -> dict:
    """What the poller needs: the state, its French label, and the download address once ready."""
    return {
        "statut": document.statut,
        "libelle": document.get_statut_display(),
        "fichier": GENRES[document.genre].url_fichier(document) if document.pret else None,
    }


def document_reponse(request: HttpRequest, document: Document, *, nom: str):
    """Serve a ready document (after the caller's access check) as an attachment named `nom`."""
    if not document.pret:
        raise Http404("Document en préparation.")
    return reponse_fichier(request, document.fichier, nom=nom, type_mime=document.type_mime)


def documents_supprimer(documents) -> int:
    """Delete documents and (by cascade) their owner rows; their files leave the storage once the
    transaction commits (a rollback keeps rows and files together). Return how many."""
    noms = [nom for nom in documents.values_list("fichier", flat=True) if nom]
    nombre = documents.model.objects.filter(pk__in=documents.values("pk")).delete()[1].get(Document._meta.label, 0)
    stockage = Document._meta.get_field("fichier").storage
    transaction.on_commit(lambda: [stockage.delete(nom) for nom in noms])
    return nombre


def documents_orphelins(avant=None):
    """Documents that no row points to any more (an owner deleted on its own) and created before
    `avant` (by default a day ago, so that an upload whose owner is being saved is never taken)."""
    avant = avant or timezone.now() - timedelta(days=1)
    return documents_sans_proprietaire(Document.objects.filter(cree_le__lt=avant))


def documents_sans_proprietaire(documents):
    """Those of `documents` that no row points to (a file several rows share is kept while one does)."""
    for relation in Document._meta.related_objects:  # every row of any app that points to a document
        if hasattr(relation.related_model, "instance_type"):
            continue  # a historical copy (django-simple-history) does not keep a document alive
        champ = relation.field
        documents = documents.exclude(
            pk__in=relation.related_model._base_manager.filter(**{f"{champ.name}__isnull": False}).values(champ.attname)
        )
    return documents


def documents_liberer(ids) -> int:
    """After an owner row is deleted or points elsewhere: delete those of the documents `ids` that
    no row uses any more, with their files (once the transaction commits)."""
    ids = [i for i in ids if i]
    return documents_supprimer(documents_sans_proprietaire(Document.objects.filter(pk__in=ids))) if ids else 0


def documents_orphelins_purger() -> int:
    """The daily purge: orphan documents and their files."""
    return documents_supprimer(documents_orphelins())
