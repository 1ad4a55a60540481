"""Factories for the CRM. SIREN and SIRET numbers are generated with a valid Luhn key."""

import factory
from django.utils import timezone
from stdnum import luhn

from crm import services
from crm.models import Contact, Entreprise, Etablissement, Structure
from crm.referentiels import TypeStructure
from territoires.models import Commune


def siren_valide(n: int) -> str:
    base = f"{n:08d}"
    return base + luhn.calc_check_digit(base)


def siret_valide(siren: str, nic: int = 1) -> str:
    base = f"{siren}{nic:04d}"
    return base + luhn.calc_check_digit(base)


class EntrepriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entreprise

    siren = factory.Sequence(lambda n: siren_valide(30_000_000 + n))
    denomination = factory.Sequence(lambda n: f"Entreprise de test {n}")
    naf = "62.01Z"


class EtablissementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Etablissement
        skip_postgeneration_save = True

    entreprise = factory.SubFactory(EntrepriseFactory)
    siret = factory.LazyAttribute(lambda o: siret_valide(o.entreprise.siren, 1))
    siege = True
    commune = factory.LazyFunction(lambda: Commune.objects.get(code_insee="80021"))

    @factory.post_generation
    def nom_recherche(self, create, extracted, **kwargs):
        if create:
            services.noms_recherche_actualiser(entreprise_id=self.entreprise_id)
            self.refresh_from_db(fields=["nom_recherche"])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    entreprise = factory.SubFactory(EntrepriseFactory)
    prenom = "Claire"
    nom = factory.Sequence(lambda n: f"Personne{n}")
    email = factory.Sequence(lambda n: f"contact{n}@entreprise.fr")
    conserver_jusquau = factory.LazyFunction(lambda: services.date_fin_conservation(timezone.localdate()))


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        django_get_or_create = ["nom"]

    nom = factory.Sequence(lambda n: f"Partenaire {n}")
    sigle = factory.Sequence(lambda n: f"P{n}")
    type = TypeStructure.CHAMBRE
