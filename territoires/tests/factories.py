"""Factories for territories. Real codes where tests depend on them (see `communes_reelles`)."""

from datetime import timedelta

import factory
from django.utils import timezone

from territoires.chargement import DEPARTEMENTS
from territoires.models import EPCI, Affectation, Commune, ConventionTerritoriale, Departement, TypeConvention


def departement(code: str) -> Departement:
    return Departement.objects.get_or_create(code=code, defaults={"nom": DEPARTEMENTS.get(code, code)})[0]


class EPCIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EPCI
        django_get_or_create = ["siren"]
        skip_postgeneration_save = True

    siren = factory.Sequence(lambda n: f"2{n:08d}")
    nom = factory.Sequence(lambda n: f"Communauté de communes de test {n}")
    type = EPCI.Type.CC
    population = 20000
    nb_communes = 10

    @factory.post_generation
    def departements(self, create, codes, **kwargs):
        if create:
            self.departements.add(*[departement(code) for code in (codes or ["80"])])


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code_insee"]

    code_insee = factory.Sequence(lambda n: f"80{n:03d}")
    nom = factory.Sequence(lambda n: f"Commune de test {n}")
    departement = factory.LazyAttribute(lambda o: departement(o.code_insee[:2]))
    epci = factory.SubFactory(EPCIFactory)
    population = 1000
    codes_postaux = "80000"


class AffectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affectation

    agent = factory.SubFactory("portal.tests.factories.AgentFactory")
    epci = factory.SubFactory(EPCIFactory)
    direction = factory.LazyAttribute(lambda o: o.agent.direction)


class ConventionFactory(factory.django.DjangoModelFactory):
    """A signed convention in force today for three years, by default."""

    class Meta:
        model = ConventionTerritoriale

    epci = factory.SubFactory(EPCIFactory)
    type = TypeConvention.AIDES
    intitule = factory.Sequence(lambda n: f"Convention de test {n}")
    statut = ConventionTerritoriale.Statut.SIGNEE
    date_debut = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    date_fin = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=730))
    signataire_region = "Le Président du Conseil régional"
    signataire_epci = "Le Président de l'EPCI"
    signee_le = factory.LazyAttribute(
        lambda o: (
            o.date_debut
            if o.statut in {ConventionTerritoriale.Statut.SIGNEE, ConventionTerritoriale.Statut.RESILIEE}
            else None
        )
    )
    resiliee_le = factory.LazyAttribute(
        lambda o: timezone.localdate() if o.statut == ConventionTerritoriale.Statut.RESILIEE else None
    )
    motif_resiliation = factory.LazyAttribute(
        lambda o: "Résiliée (test)." if o.statut == ConventionTerritoriale.Statut.RESILIEE else ""
    )
