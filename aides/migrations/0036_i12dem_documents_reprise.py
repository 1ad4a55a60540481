"""2. Every stored file of an application's piece, of the company safe, of a member (justificatif,
act of delegation) and every decision letter becomes a portal.Document holding the same stored file
(portal.reprise_documents: nothing moves, nothing is lost). A letter still waiting for its old job
becomes a letter version « en attente » whose job renders it through portal.documents. Reversible."""

import uuid

from django.db import migrations

from portal.reprise_documents import fichiers_vers_documents

# (model, kind of document, old field, new field)
FICHIERS = [
    ("aides.PieceJointe", "aides.piece", "fichier", "document"),
    ("aides.DocumentEntreprise", "aides.coffre", "fichier", "document"),
    ("aides.Membre", "aides.justificatif", "justificatif_ancien", "justificatif"),
    ("aides.Membre", "aides.delegation", "delegation_document_ancien", "delegation_document"),
    ("aides.LettreDecision", "aides.lettre", "fichier", "document"),
]
ANCIENNE_TACHE = "aides.demandes.lettres.lettre_generer"
TACHE = "portal.documents.document_generer"
A_FAIRE = ["en_attente", "en_cours", "echec"]


def vers(apps, schema_editor):
    for modele, genre, champ, cible in FICHIERS:
        fichiers_vers_documents(apps, modele=modele, genre=genre, champ=champ, cible=cible)
    Demande = apps.get_model("aides", "Demande")
    Document = apps.get_model("portal", "Document")
    LettreDecision = apps.get_model("aides", "LettreDecision")
    Travail = apps.get_model("portal", "Travail")
    for travail in Travail.objects.filter(tache=ANCIENNE_TACHE, statut__in=A_FAIRE).order_by("pk"):
        demande = Demande.objects.filter(pk=travail.arguments.get("demande_id")).first()
        if demande is None or demande.statut not in ("accordee", "refusee"):
            Travail.objects.filter(pk=travail.pk).update(statut="fait")  # the old job would have stored nothing
            continue
        document = Document.objects.create(genre="aides.lettre", statut="en_attente", cree_le=travail.cree_le)
        numero = (LettreDecision.objects.filter(demande=demande).order_by("-numero").values_list("numero", flat=True).first() or 0) + 1  # fmt: skip
        LettreDecision.objects.create(
            demande=demande, numero=numero, decision=demande.statut, document=document, cree_le=travail.cree_le
        )
        Travail.objects.filter(pk=travail.pk).update(
            tache=TACHE, arguments={"document_id": str(document.pk)}, statut="en_attente", tentatives=0
        )


def depuis(apps, schema_editor):
    """Back: the stored file's name goes back into each row's own field (a file the safe and pieces
    share goes back to each of them), a letter gets back its hash and a job key, a letter not rendered
    yet becomes its old job again; then the Documents go (their files stay: the rows' files again)."""
    LettreDecision = apps.get_model("aides", "LettreDecision")
    Travail = apps.get_model("portal", "Travail")
    ids = set()
    for lettre in LettreDecision.objects.exclude(document__statut="pret").select_related("document"):
        Travail.objects.filter(tache=TACHE, arguments__document_id=str(lettre.document_id)).update(
            tache=ANCIENNE_TACHE,
            arguments={"demande_id": lettre.demande_id, "cle": uuid.uuid4().hex},
            statut="en_attente",
            tentatives=0,
        )
        LettreDecision.objects.filter(pk=lettre.pk).delete()
        ids.add(lettre.document_id)
    for lettre in LettreDecision.objects.select_related("document"):
        LettreDecision.objects.filter(pk=lettre.pk).update(sha256=lettre.document.sha256, cle=uuid.uuid4().hex)
    for modele, _genre, champ, cible in FICHIERS:
        Proprietaire = apps.get_model(*modele.split("."))
        for ligne in Proprietaire.objects.filter(**{cible + "__isnull": False}).select_related(cible).iterator():
            document = getattr(ligne, cible)
            Proprietaire.objects.filter(pk=ligne.pk).update(**{champ: document.fichier.name, cible: None})
            ids.add(document.pk)
    documents_effacer(schema_editor, ids)


def documents_effacer(schema_editor, ids) -> None:
    """Delete the Documents in SQL: the ORM's cascade would read the tables of every app pointing to
    portal.Document, some of which may be unapplied already (their columns gone) in the same run."""
    with schema_editor.connection.cursor() as curseur:
        curseur.execute("DELETE FROM portal_document WHERE id = ANY(%s::uuid[])", [[str(i) for i in ids]])


class Migration(migrations.Migration):
    dependencies = [("aides", "0035_i12dem_documents")]

    operations = [migrations.RunPython(vers, depuis)]
