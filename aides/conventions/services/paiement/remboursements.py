import csv
import io
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from aides.conventions.models.paiement import (
    EcheanceRemboursement,
)
from aides.conventions.services.convention import (
    _verrouiller,
    destinataires_entreprise,
)
from aides.conventions.services.paiement.calculs import CENT, NATURES_REMBOURSABLES, _decimal
from portal.models import User
from portal.services import notification_creer


def echeances_calculer(
    *, montant: Decimal, debut: date, differe_mois: int, nombre: int, periodicite_mois: int
) -> list[tuple[date, Decimal]]:
    """Equal instalments rounded down to the cent, the last one takes the remainder. The first is
    due one period after the end of the deferral."""
    if nombre < 1 or periodicite_mois < 1 or differe_mois < 0:
        raise ValidationError("Nombre d'échéances, périodicité et différé doivent être positifs.")
    if montant <= 0:
        raise ValidationError("Le montant à rembourser doit être positif.")
    base = (montant / nombre).quantize(CENT, rounding=ROUND_DOWN)
    dernier = montant - base * (nombre - 1)
    return [
        (debut + relativedelta(months=differe_mois + periodicite_mois * k), base if k < nombre else dernier)
        for k in range(1, nombre + 1)
    ]


@transaction.atomic
def echeancier_remboursement_generer(
    *,
    convention_id: int,
    par: User,
    montant: Decimal | None = None,
    debut: date | None = None,
    differe_mois: int = 12,
    nombre: int = 8,
    periodicite_mois: int = 3,
) -> list[EcheanceRemboursement]:
    """Generate (or regenerate while nothing is paid) the schedule of a repayable advance or loan."""
    convention = _verrouiller(convention_id)
    if convention.nature not in NATURES_REMBOURSABLES:
        raise ValidationError("Seuls les prêts et avances remboursables ont un échéancier de remboursement.")
    if convention.remboursements.filter(Q(paye_le__isnull=False) | Q(montant_paye__gt=0)).exists():
        raise ValidationError("Des échéances sont déjà payées : l'échéancier ne se régénère plus.")
    convention.remboursements.all().delete()
    montant = montant if montant is not None else convention.montant
    debut = debut or convention.date_decision or timezone.localdate()
    lignes = echeances_calculer(
        montant=montant, debut=debut, differe_mois=differe_mois, nombre=nombre, periodicite_mois=periodicite_mois
    )
    return EcheanceRemboursement.objects.bulk_create(
        [
            EcheanceRemboursement(convention=convention, numero=i, date_echeance=jour, montant=m, demo=convention.demo)
            for i, (jour, m) in enumerate(lignes, start=1)
        ]
    )


@transaction.atomic
def echeance_payer(
    *, echeance_id: int, par: User, paye_le: date, montant_paye: Decimal, source: str = "saisie"
) -> EcheanceRemboursement:
    echeance = EcheanceRemboursement.objects.select_for_update().get(pk=echeance_id)
    if montant_paye is None or montant_paye <= 0:
        raise ValidationError({"montant_paye": "Indiquez le montant reçu."})
    if paye_le > timezone.localdate():
        raise ValidationError({"paye_le": "La date de paiement ne peut pas être dans le futur."})
    echeance.paye_le = paye_le
    echeance.montant_paye = montant_paye
    echeance.source = source
    echeance.full_clean()
    echeance.save(update_fields=["paye_le", "montant_paye", "source"])
    return echeance


def remboursements_importer(*, contenu: str, par: User) -> tuple[int, list[str]]:
    """CSV of the accounting system: `convention;echeance;date_paiement;montant` (date JJ/MM/AAAA).
    Each line is its own transaction; returns (lines recorded, errors by line number)."""
    lecteur = csv.DictReader(
        io.StringIO(contenu.lstrip("\ufeff")), delimiter=";" if ";" in contenu.split("\n")[0] else ","
    )
    enregistrees, erreurs = 0, []
    for n, ligne in enumerate(lecteur, start=2):
        try:
            numero = (ligne.get("convention") or "").strip()
            rang = int((ligne.get("echeance") or "").strip())
            jour = timezone.datetime.strptime((ligne.get("date_paiement") or "").strip(), "%d/%m/%Y").date()
            montant = _decimal(ligne.get("montant") or "")
            echeance = EcheanceRemboursement.objects.get(convention__numero=numero, numero=rang)
            echeance_payer(echeance_id=echeance.pk, par=par, paye_le=jour, montant_paye=montant, source="import")
            enregistrees += 1
        except EcheanceRemboursement.DoesNotExist:
            erreurs.append(
                f"Ligne {n} : aucune échéance {ligne.get('echeance')} pour la convention {ligne.get('convention')}."
            )
        except (ValueError, TypeError) as erreur:
            erreurs.append(f"Ligne {n} : {erreur}.")
        except ValidationError as erreur:
            erreurs.append(f"Ligne {n} : {' '.join(erreur.messages)}")
    return enregistrees, erreurs


def rappels_remboursement_envoyer(*, aujourd_hui: date | None = None) -> int:
    """Reminder before a due date, and after it once late; each at most once per instalment
    (stamped in the same transaction as the email; rows locked with SKIP LOCKED)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    avant = aujourd_hui + timedelta(days=settings.REMBOURSEMENT_JOURS_RAPPEL)
    retard = aujourd_hui - timedelta(days=settings.REMBOURSEMENT_JOURS_GRACE)
    a_traiter = EcheanceRemboursement.objects.filter(paye_le__isnull=True).filter(
        Q(relance_avant_le__isnull=True, date_echeance__gte=aujourd_hui, date_echeance__lte=avant)
        | Q(relance_apres_le__isnull=True, date_echeance__lt=retard)
    )
    envoyes = 0
    for pk in list(a_traiter.values_list("pk", flat=True)):
        with transaction.atomic():
            echeance = (
                EcheanceRemboursement.objects.select_for_update(skip_locked=True)
                .select_related("convention__etablissement__entreprise", "convention__demande__demandeur")
                .filter(pk=pk, paye_le__isnull=True)
                .first()
            )
            if echeance is None:
                continue
            if echeance.date_echeance >= aujourd_hui and echeance.relance_avant_le is None:
                champ, evenement = "relance_avant_le", "avant"
            elif echeance.date_echeance < retard and echeance.relance_apres_le is None:
                champ, evenement = "relance_apres_le", "retard"
            else:
                continue
            setattr(echeance, champ, timezone.now())
            echeance.save(update_fields=[champ])
            for destinataire in destinataires_entreprise(echeance.convention):
                notification_creer(
                    gabarit="remboursement_rappel",
                    destinataire=destinataire,
                    contexte={
                        "echeance": echeance,
                        "convention": echeance.convention,
                        "evenement": evenement,
                        "lien_espace": reverse("espace:convention", args=[echeance.convention_id]),
                    },
                )
            envoyes += 1
    return envoyes


def encours_par_convention(conventions) -> dict[int, Decimal]:
    """Outstanding repayment per convention id (one query)."""
    lignes = (
        EcheanceRemboursement.objects.filter(convention__in=conventions)
        .values("convention_id")
        .annotate(du=Sum("montant"), paye=Sum("montant_paye"))
    )
    return {ligne["convention_id"]: ligne["du"] - ligne["paye"] for ligne in lignes}
