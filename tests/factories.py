import datetime

import factory
from django.utils import timezone

from cases.models import Case, ContactMoment, LifeDomain, Need, Phase, PhaseChange
from pmw.models import Municipality, Organisation, Region, Role, User
from profiles.models import Client, Profile, name_key
from profiles.services import client_number_next

PASSWORD = "a-long-test-password-1"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"PMW-organisatie {n}")
    code = factory.Sequence(lambda n: f"org-{n}")

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(extracted or [Region.objects.get(code="amsterdam")])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.WORKER
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    organisation = factory.LazyAttribute(lambda c: c.created_by.organisation)
    created_by = factory.SubFactory(UserFactory)
    number = factory.LazyFunction(lambda: client_number_next(year=timezone.localdate().year))
    working_name = factory.Sequence(lambda n: f"Werknaam{n}")
    working_name_key = factory.LazyAttribute(lambda c: name_key(c.working_name))
    birth_year = 1990
    profile = Profile.AUTONOMOUS
    # Most clients live somewhere: their cases then have monitoring figures, which the check
    # after every test compares with their facts (tests/conftest.py).
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(name="Amsterdam"))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    worker = factory.SubFactory(UserFactory)
    client = factory.SubFactory(ClientFactory, created_by=factory.SelfAttribute("..worker"))
    organisation = factory.LazyAttribute(lambda c: c.client.organisation)
    municipality = factory.LazyAttribute(lambda c: c.client.municipality)
    created_by = factory.SelfAttribute("worker")
    contact_route = "self"
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    phase = Phase.CONTACT

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            PhaseChange.objects.create(
                case=self,
                to_phase=Phase.CONTACT,
                by=self.worker,
                at=timezone.now() - datetime.timedelta(days=30),
            )


class ContactMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMoment

    case = factory.SubFactory(CaseFactory)
    worker = factory.SelfAttribute("case.worker")
    at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    kind = "phone"
    duration_minutes = 30
    note = "Gebeld over de afspraak bij het Werkplein."


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    case = factory.SubFactory(CaseFactory)
    domain = factory.LazyFunction(lambda: LifeDomain.objects.get(code="housing"))
    description = "Een eigen kamer, niet meer op de werkplek slapen."
    identified_on = factory.LazyAttribute(lambda n: n.case.opened_on)
    created_by = factory.SelfAttribute("case.worker")


class AftercarePlanFactory(factory.django.DjangoModelFactory):
    """A case in the aftercare phase with its plan; ``next_check_in_on`` as the services keep it."""

    class Meta:
        model = "aftercare.AftercarePlan"

    case = factory.SubFactory(CaseFactory, phase=Phase.AFTERCARE)
    intensity = "active"
    suggested_intensity = "active"
    check_in_interval_days = factory.LazyAttribute(lambda p: None if p.intensity == "none" else 30)
    responsible = factory.SelfAttribute("case.worker")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    created_by = factory.SelfAttribute("case.worker")

    @factory.lazy_attribute
    def next_check_in_on(self):
        if self.intensity == "none":
            return None
        return self.starts_on + datetime.timedelta(days=self.check_in_interval_days)
