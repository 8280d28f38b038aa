import datetime

import factory
from django.utils import timezone

from cases.models import LifeDomain
from partners.models import (
    Consent,
    ContactPerson,
    CooperationAgreement,
    Partner,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from pmw.models import Region
from tests.factories import NeedFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner {n}")
    type = "debt"

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(
                extracted if extracted is not None else [Region.objects.get(code="amsterdam")]
            )

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if create:
            self.domains.set(
                extracted if extracted is not None else [LifeDomain.objects.get(code="housing")]
            )


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Contactpersoon {n}")
    role = "consulent"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationAgreement

    partner = factory.SubFactory(PartnerFactory)
    kind = "fast_income"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    valid_to = None
    text = "Uitkering binnen twee weken na aanmelding door de PMW'er."


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory("tests.factories.ClientFactory")
    partner = factory.SubFactory(PartnerFactory)
    purpose = "Aanmelding"
    scope = "Werknaam, telefoon, hulpvraag"
    given_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=360))
    recorded_by = factory.SelfAttribute("client.created_by")


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral in any status; its event history is the straight path to that status."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    need = factory.SubFactory(NeedFactory)
    case = factory.SelfAttribute("need.case")
    partner = factory.SubFactory(PartnerFactory)
    requested_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    requested_by = factory.SelfAttribute("case.worker")
    status = ReferralStatus.REQUESTED

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            ReferralEvent.objects.create(
                referral=self,
                to_status=ReferralStatus.REQUESTED,
                at=self.requested_at,
                by=self.requested_by,
            )
