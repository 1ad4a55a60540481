"""Demo messages and one expert opinion on the demo company's application « en instruction » (the
texts end with « (démo) », the opinion has demo=True). Idempotent: nothing is written twice."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from aides.demandes.demo import EMAIL_INSTRUCTEUR_DEMO, PDF_DEMO, SIREN_DEMO
from aides.demandes.models.avis import AvisExpert
from aides.demandes.models.demande import Demande, Message, Statut
from aides.demandes.services.avis import avis_demander, avis_rendre
from aides.demandes.services.messagerie import echange_envoyer, echanges_marquer_lus
from portal.models import User
from portal.verification import fichier_verifier

EMAIL_EXPERT_DEMO = "pilotage@demo.hautsdefrance.fr"


@transaction.atomic
def charger(stdout) -> None:
    demande = (
        Demande.objects.filter(etablissement__entreprise__siren=SIREN_DEMO, statut=Statut.EN_INSTRUCTION, demo=True)
        .order_by("pk")
        .first()
    )
    instructeur = User.objects.filter(email=EMAIL_INSTRUCTEUR_DEMO).first()
    expert = User.objects.filter(email=EMAIL_EXPERT_DEMO).first()
    if demande is None or instructeur is None or expert is None:
        stdout.write("  pas de demande en instruction de démonstration : messagerie de démonstration non créée")
        return
    if demande.messages.filter(genre=Message.Genre.ECHANGE).exists():
        return
    echange_envoyer(
        demande_id=demande.pk,
        par=demande.demandeur,
        texte="Bonjour, voici le planning mis à jour de l'installation de la ligne (démo).",
        fichiers=[fichier_verifier(SimpleUploadedFile("planning-demo.pdf", PDF_DEMO))],
    )
    echanges_marquer_lus(demande=demande, lecteur=instructeur)
    echange_envoyer(
        demande_id=demande.pk,
        par=instructeur,
        texte="Merci, bien reçu. La demande passera en commission le mois prochain (démo).",
    )
    avis = avis_demander(
        demande_id=demande.pk,
        par=instructeur,
        expert=expert,
        question="Ce projet entre-t-il dans les priorités du schéma régional de développement économique ? (démo)",
        rendre_avant=timezone.localdate() + timedelta(days=15),
    )
    avis_rendre(avis_id=avis.pk, par=expert, texte="Avis favorable : projet prioritaire pour la filière (démo).")
    AvisExpert.objects.filter(pk=avis.pk).update(demo=True)
    stdout.write(f"  messagerie et avis d'expert de démonstration sur la demande {demande.numero_depot}")
