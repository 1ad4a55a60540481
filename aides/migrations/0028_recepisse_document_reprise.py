"""2. Every deposited application gets its receipt as a portal.Document: a stored receipt keeps its
file (the same stored file) and hash, « prêt »; a missing one is « en attente » with its job, which
the sweep runs. Reversible (copies the file name and hash back)."""

from django.db import migrations

GENRE = "aides.recepisse"


def vers(apps, schema_editor):
    Demande = apps.get_model("aides", "Demande")
    Document = apps.get_model("portal", "Document")
    Travail = apps.get_model("portal", "Travail")
    for demande in Demande.objects.filter(numero_depot__isnull=False, recepisse__isnull=True).iterator():
        nom = demande.recepisse_ancien.name or ""
        document = Document.objects.create(
            genre=GENRE,
            cle="" if nom else f"demande:{demande.pk}",
            statut="pret" if nom else "en_attente",
            fichier=nom,
            sha256=demande.recepisse_sha256 if nom else "",
            cree_le=demande.depose_le,
            pret_le=demande.depose_le if nom else None,
        )
        if not nom:
            Travail.objects.create(
                tache="portal.documents.document_generer", arguments={"document_id": str(document.pk)}
            )
        Demande.objects.filter(pk=demande.pk).update(recepisse=document)


def depuis(apps, schema_editor):
    Demande = apps.get_model("aides", "Demande")
    Document = apps.get_model("portal", "Document")
    Travail = apps.get_model("portal", "Travail")
    for demande in Demande.objects.filter(recepisse__isnull=False).select_related("recepisse").iterator():
        document = demande.recepisse
        Demande.objects.filter(pk=demande.pk).update(
            recepisse=None, recepisse_ancien=document.fichier.name or "", recepisse_sha256=document.sha256
        )
        Travail.objects.filter(
            tache="portal.documents.document_generer", arguments__document_id=str(document.pk)
        ).delete()
        Document.objects.filter(pk=document.pk).delete()


class Migration(migrations.Migration):
    dependencies = [("aides", "0027_recepisse_document")]

    operations = [migrations.RunPython(vers, depuis)]
