import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm.tests.factories import StructureFactory
from partenaires.models import Adhesion
from portal.roles import Role
from portal.tests.factories import UserFactory


class MembreFactory(factory.django.DjangoModelFactory):
    """A member of a partner structure (role partenaire) with a confirmed second factor."""

    class Meta:
        model = Adhesion
        skip_postgeneration_save = True

    utilisateur = factory.SubFactory(
        UserFactory, email=factory.Sequence(lambda n: f"membre{n}@partenaire.fr"), roles=[Role.PARTENAIRE]
    )
    structure = factory.SubFactory(StructureFactory)
    epci = None

    @factory.post_generation
    def appareil(self, create, extracted, **kwargs):
        if create:
            TOTPDevice.objects.create(user=self.utilisateur, name="Appareil de test", confirmed=True)


class MembreEpciFactory(MembreFactory):
    utilisateur = factory.SubFactory(
        UserFactory, email=factory.Sequence(lambda n: f"eco{n}@epci.fr"), roles=[Role.EPCI]
    )
    structure = None
