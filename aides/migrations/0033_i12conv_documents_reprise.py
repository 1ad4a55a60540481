"""2. Every file of aid conventions becomes a portal.Document holding the same stored file (no byte
moves): the convention's PDF versions (« prêt »; a rendering still asked for becomes a version « en
attente » with its job), the signed scans, the payments' and payment requests' proofs, the final
reports' and FEDER publicity proofs. Reversible: names, hashes, sizes and types go back to the rows."""

from django.db import migrations

from portal.reprise_documents import documents_vers_fichiers, fichiers_vers_documents

GENRE_CONVENTION = "aides.convention"
ANCIENNE_TACHE = "aides.conventions.pdf.convention_pdf_generer"
NOUVELLE_TACHE = "portal.documents.document_generer"
A_FAIRE = ("en_attente", "en_cours", "echec")
# Model, kind, old file field, new link, upload date, the old metadata fields (hash, size, type).
FICHIERS = [
    ("aides.Signature", "aides.convention.scan", "scan_ancien", "scan", "le", {"sha256": "scan_sha256"}),
    (
        "aides.PieceVersement",
        "aides.versement.piece",
        "fichier",
        "document",
        "cree_le",
        {"sha256": "sha256", "taille": "taille", "type_mime": "type_mime"},
    ),
    (
        "aides.PieceDemandeVersement",
        "aides.paiement.piece",
        "fichier",
        "document",
        "cree_le",
        {"sha256": "sha256", "taille": "taille", "type_mime": "type_mime"},
    ),
    ("aides.PreuvePublicite", "aides.feder.preuve", "fichier", "document", "le", {}),
    (
        "aides.RapportFinal",
        "aides.rapport.preuve",
        "preuve_publicite",
        "preuve",
        "depose_le",
        {"sha256": "preuve_sha256", "type_mime": "preuve_type_mime"},
    ),
]


def versions_vers_documents(apps) -> None:
    ConventionAide = apps.get_model("aides", "ConventionAide")
    VersionConvention = apps.get_model("aides", "VersionConvention")
    Document = apps.get_model("portal", "Document")
    Travail = apps.get_model("portal", "Travail")
    for version in VersionConvention.objects.filter(document__isnull=True).iterator():
        document = Document.objects.create(
            genre=GENRE_CONVENTION,
            statut="pret",
            fichier=version.fichier.name,
            sha256=version.sha256,
            taille=version.taille,
            cree_le=version.genere_le,
            pret_le=version.genere_le,
        )
        VersionConvention.objects.filter(pk=version.pk).update(document=document)
    # A rendering asked for and not stored yet: the next version, « en attente », with its job.
    for convention in ConventionAide.objects.filter(pdf_demande_le__isnull=False).iterator():
        anciens = Travail.objects.filter(
            tache=ANCIENNE_TACHE, statut__in=A_FAIRE, arguments__convention_id=convention.pk
        )
        par_id = next((t.arguments.get("par_id") for t in anciens), None)
        anciens.delete()
        if apps.get_model("aides", "Signature").objects.filter(convention=convention).exists():
            continue  # signed meanwhile: the rendering would have been dropped
        document = Document.objects.create(
            genre=GENRE_CONVENTION,
            cle=f"convention:{convention.pk}",
            cree_le=convention.pdf_demande_le,
            demande_par_id=par_id,
        )
        derniere = VersionConvention.objects.filter(convention=convention).order_by("-numero").first()
        VersionConvention.objects.create(
            convention=convention, numero=(derniere.numero + 1) if derniere else 1, document=document
        )
        Travail.objects.create(tache=NOUVELLE_TACHE, arguments={"document_id": str(document.pk)})


def versions_depuis_documents(apps) -> None:
    ConventionAide = apps.get_model("aides", "ConventionAide")
    VersionConvention = apps.get_model("aides", "VersionConvention")
    Document = apps.get_model("portal", "Document")
    Travail = apps.get_model("portal", "Travail")
    for version in VersionConvention.objects.filter(document__isnull=False).select_related("document").iterator():
        document = version.document
        Travail.objects.filter(tache=NOUVELLE_TACHE, arguments__document_id=str(document.pk)).delete()
        if document.statut != "pret":  # asked for, not stored: the convention's request and its old job
            ConventionAide.objects.filter(pk=version.convention_id).update(pdf_demande_le=document.cree_le)
            Travail.objects.create(
                tache=ANCIENNE_TACHE,
                arguments={"convention_id": version.convention_id, "par_id": document.demande_par_id},
            )
            VersionConvention.objects.filter(pk=version.pk).delete()
        else:
            VersionConvention.objects.filter(pk=version.pk).update(
                fichier=document.fichier.name,
                sha256=document.sha256,
                taille=document.taille,
                genere_le=document.pret_le,
                document=None,
            )
        Document.objects.filter(pk=document.pk).delete()


def vers(apps, schema_editor):
    versions_vers_documents(apps)
    for modele, genre, champ, cible, date, metadonnees in FICHIERS:
        fichiers_vers_documents(apps, modele=modele, genre=genre, champ=champ, cible=cible, date=date)
        if "type_mime" in metadonnees:  # the type the checker found on upload, not one guessed from the name
            Proprietaire = apps.get_model(*modele.split("."))
            Document = apps.get_model("portal", "Document")
            for ligne in Proprietaire.objects.filter(**{cible + "__isnull": False}).iterator():
                if type_mime := getattr(ligne, metadonnees["type_mime"]):
                    Document.objects.filter(pk=getattr(ligne, cible + "_id")).update(type_mime=type_mime)


def depuis(apps, schema_editor):
    versions_depuis_documents(apps)
    for modele, _genre, champ, cible, _date, metadonnees in FICHIERS:
        Proprietaire = apps.get_model(*modele.split("."))
        for ligne in Proprietaire.objects.filter(**{cible + "__isnull": False}).select_related(cible).iterator():
            document = getattr(ligne, cible)
            valeurs = {ancien: getattr(document, nouveau) for nouveau, ancien in metadonnees.items()}
            if "taille" in valeurs:
                valeurs["taille"] = valeurs["taille"] or 0
            Proprietaire.objects.filter(pk=ligne.pk).update(**valeurs)
        documents_vers_fichiers(apps, modele=modele, champ=champ, cible=cible)


class Migration(migrations.Migration):
    dependencies = [("aides", "0032_i12conv_documents")]

    operations = [migrations.RunPython(vers, depuis)]
