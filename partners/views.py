from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import get_case_for_request
from partners.forms import (
    AgreementForm,
    ConsentForm,
    ContactPersonForm,
    DeclineForm,
    PartnerFilterForm,
    PartnerForm,
    ReferralAssignForm,
    ReferralMoveForm,
    ReferralRequestForm,
    TransferAcceptForm,
    TransferProposeForm,
)
from partners.models import ContactPerson, ReferralStatus
from partners.selectors import (
    COVERAGE_COLUMNS,
    can_edit_partners,
    can_view_partners,
    coverage_matrix,
    get_partner_for_request,
    get_referral_for_request,
    get_transfer_for_request,
    not_blocked_for,
    partner_directory,
    referral_queue,
    referrals_awaiting_answer,
    referrals_for_case,
    transfer_lists,
    transfers_for_case,
)
from partners.services import (
    consent_record,
    consent_withdraw,
    referral_assign,
    referral_decline,
    referral_move,
    referral_request,
    referral_send,
    transfer_accept,
    transfer_decline,
    transfer_propose,
)
from pmw.audit import Action, log_access
from pmw.form_page import form_page
from pmw.models import Region, Role

# --- Partner directory and coverage ----------------------------------------------------------


def directory(request):
    if not can_view_partners(request.user):
        raise Http404
    form = PartnerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    partners = partner_directory(
        region=filters.get("region"), domain=filters.get("domain"), query=filters.get("q", "")
    )
    page = Paginator(partners, settings.PARTNER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/directory.html",
        {"form": form, "page": page, "can_edit": can_edit_partners(request.user)},
    )


def partner_detail(request, pk):
    partner = get_partner_for_request(request, pk)
    return render(
        request,
        "partners/detail.html",
        {
            "partner": partner,
            "contacts": partner.contacts.filter(is_active=True),
            "agreements": partner.agreements.all(),
            "regions": partner.regions.all(),
            "domains": partner.domains.all(),
            "can_edit": can_edit_partners(request.user),
        },
    )


def partner_edit(request, pk=None):
    if pk is None:
        if not can_view_partners(request.user):
            raise Http404
        if not can_edit_partners(request.user):
            raise PermissionDenied
        partner = None
    else:
        partner = get_partner_for_request(request, pk, write=True)
    form = PartnerForm(request.POST or None, instance=partner)

    def save(data):
        saved = form.save()
        messages.success(request, _("De partner is opgeslagen."))
        return reverse("partners:detail", args=[saved.pk])

    back = reverse("partners:detail", args=[pk]) if pk else reverse("partners:directory")
    return form_page(
        request,
        form,
        save,
        heading=_("Partner wijzigen") if partner else _("Partner toevoegen"),
        submit_label=_("Opslaan"),
        back_url=back,
    )


def _partner_child(request, pk, form_class, heading):
    partner = get_partner_for_request(request, pk, write=True)
    form = form_class(request.POST or None)

    def save(data):
        item = form.save(commit=False)
        item.partner = partner
        item.save()
        messages.success(request, _("Opgeslagen."))
        return reverse("partners:detail", args=[partner.pk])

    return form_page(
        request,
        form,
        save,
        heading=f"{heading} · {partner.name}",
        submit_label=_("Opslaan"),
        back_url=reverse("partners:detail", args=[partner.pk]),
    )


def add_contact(request, pk):
    return _partner_child(request, pk, ContactPersonForm, _("Vaste contactpersoon toevoegen"))


def add_agreement(request, pk):
    return _partner_child(request, pk, AgreementForm, _("Samenwerkingsafspraak toevoegen"))


def contact_options(request):
    """htmx: the <option>s of the chosen partner's contact persons (no client data)."""
    if not can_view_partners(request.user):
        raise Http404
    partner_id = request.GET.get("partner", "")
    contacts = (
        ContactPerson.objects.filter(partner_id=partner_id, is_active=True)
        if partner_id.isdigit()
        else ContactPerson.objects.none()
    )
    return render(request, "partners/_contact_options.html", {"contacts": contacts})


def coverage(request):
    """Coverage per region; PMW staff choose any region, municipal staff see their own."""
    user = request.user
    if user.is_authenticated and user.role == Role.MUNICIPAL:
        region = user.region
        regions = [region]
    elif can_view_partners(user):
        regions = list(Region.objects.all())
        code = request.GET.get("region")
        region = next((r for r in regions if r.code == code), None)
        if region is None:
            region = user.organisation.regions.order_by("name").first() or regions[0]
    else:
        raise Http404
    rows = coverage_matrix(region)
    return render(
        request,
        "partners/coverage.html",
        {
            "region": region,
            "regions": regions,
            "rows": rows,
            "columns": COVERAGE_COLUMNS,
            "gap_domains": [row["domain"] for row in rows if row["partners"] == 0],
        },
    )


# --- Referrals -------------------------------------------------------------------------------


def request_referral(request, reference):
    case = get_case_for_request(request, reference, write=True)
    initial = {"need": request.GET.get("need")} if request.GET.get("need") else {}
    form = ReferralRequestForm(request.POST or None, case=case, initial=initial)

    def save(data):
        referral = referral_request(case=case, by=request.user, **data)
        messages.success(request, _("De verwijzing is aangevraagd; de coördinator wijst toe."))
        return reverse("partners:referral", args=[referral.reference])

    return form_page(
        request,
        form,
        save,
        heading=_("Verwijzing aanvragen"),
        submit_label=_("Aanvragen"),
        back_url=reverse("cases:detail", args=[case.reference]),
        case=case,
    )


def referral_detail(request, reference):
    referral = get_referral_for_request(request, reference)
    case = referral.case
    return render(
        request,
        "partners/referral.html",
        {
            "referral": referral,
            "case": case,
            "client": case.client,
            "events": referral.events.select_related("by"),
            # On a closed case its open referrals were cancelled: nothing left to do.
            "moves": [ReferralStatus(m) for m in referral.allowed_moves] if case.is_open else [],
        },
    )


def assign_referral(request, reference):
    referral = get_referral_for_request(request, reference, coordinator_only=True)
    form = ReferralAssignForm(
        request.POST or None,
        initial={"partner": referral.partner_id, "contact_person": referral.contact_person_id},
    )

    def save(data):
        referral_assign(referral=referral, by=request.user, **data)
        messages.success(request, _("De verwijzing is toegewezen."))
        return reverse("partners:referral", args=[referral.reference])

    return form_page(
        request,
        form,
        save,
        heading=_("Verwijzing toewijzen"),
        submit_label=_("Toewijzen"),
        back_url=reverse("partners:referral", args=[referral.reference]),
        case=referral.case,
    )


@require_POST
def approve_referral(request, reference):
    """Assign in one step from the queue, keeping the partner and contact person asked for."""
    referral = get_referral_for_request(request, reference, coordinator_only=True)
    try:
        referral_assign(referral=referral, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Toegewezen: %(client)s naar %(partner)s.")
            % {"client": referral.case.client.working_name, "partner": referral.partner},
        )
    return redirect("partners:queue")


@require_POST
def move_referral(request, reference):
    referral = get_referral_for_request(request, reference, write=True)
    form = ReferralMoveForm(request.POST)
    if form.is_valid():
        to, note = form.cleaned_data["to"], form.cleaned_data["note"]
        try:
            if to == ReferralStatus.SENT:
                referral_send(referral=referral, by=request.user, note=note)
            elif to == ReferralStatus.ASSIGNED:
                raise ValidationError(_("Toewijzen doet een coördinator."))
            else:
                referral_move(referral=referral, to=to, by=request.user, note=note)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Status: %(status)s.") % {"status": ReferralStatus(to).label}
            )
    return redirect("partners:referral", reference=referral.reference)


def decline_referral(request, reference):
    referral = get_referral_for_request(request, reference, write=True)
    form = DeclineForm(request.POST or None)

    def save(data):
        referral_decline(referral=referral, by=request.user, reason=data["reason"])
        messages.success(request, _("De afwijzing is vastgelegd."))
        return reverse("partners:referral", args=[referral.reference])

    return form_page(
        request,
        form,
        save,
        heading=_("Afwijzing door de partner vastleggen"),
        submit_label=_("Vastleggen"),
        back_url=reverse("partners:referral", args=[referral.reference]),
        case=referral.case,
    )


def queue(request):
    user = request.user
    if not user.is_authenticated or user.role != Role.COORDINATOR:
        raise Http404
    size = settings.REFERRAL_QUEUE_PAGE_SIZE
    waiting = Paginator(referral_queue(user), size).get_page(request.GET.get("page"))
    overdue_referrals = not_blocked_for(
        user, referrals_awaiting_answer(organisation=user.organisation_id)
    )
    overdue = Paginator(
        overdue_referrals.prefetch_related("contact_person", "case__worker"), size
    ).get_page(request.GET.get("overdue"))
    log_access(
        user=user,
        action=Action.VIEW,
        record_type="referral_queue",
        detail=f"waiting={waiting.paginator.count} overdue={overdue.paginator.count}",
    )
    return render(
        request,
        "partners/queue.html",
        {"waiting": waiting, "overdue": overdue, "answer_days": settings.REFERRAL_ANSWER_DAYS},
    )


# --- Consent ---------------------------------------------------------------------------------


def add_consent(request, reference):
    case = get_case_for_request(request, reference, write=True)
    form = ConsentForm(request.POST or None)

    def save(data):
        consent_record(client=case.client, by=request.user, **data)
        messages.success(request, _("De toestemming is vastgelegd."))
        return reverse("cases:detail", args=[case.reference])

    return form_page(
        request,
        form,
        save,
        heading=_("Toestemming om gegevens te delen"),
        submit_label=_("Vastleggen"),
        back_url=reverse("cases:detail", args=[case.reference]),
        case=case,
        intro=_(
            "Leg per ontvanger en doel vast waarmee de cliënt instemt. Toestemming kan altijd "
            "worden ingetrokken, en vervangt geen ontbrekende wettelijke grondslag."
        ),
    )


@require_POST
def withdraw_consent(request, reference, consent_id):
    case = get_case_for_request(request, reference, write=True)
    consent = get_object_or_404(case.client.consents, pk=consent_id)
    try:
        consent_withdraw(consent=consent, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De toestemming is ingetrokken."))
    return redirect("cases:detail", reference=case.reference)


# --- Transfers -------------------------------------------------------------------------------


def propose_transfer(request, reference):
    case = get_case_for_request(request, reference, coordinator_only=True)
    form = TransferProposeForm(request.POST or None, case=case)

    def save(data):
        transfer_propose(case=case, by=request.user, **data)
        messages.success(request, _("De overdracht is voorgesteld aan de andere organisatie."))
        return reverse("cases:detail", args=[case.reference])

    return form_page(
        request,
        form,
        save,
        heading=_("Traject overdragen aan een andere PMW-organisatie"),
        submit_label=_("Overdracht voorstellen"),
        back_url=reverse("cases:detail", args=[case.reference]),
        case=case,
        intro=_(
            "Na acceptatie gaat het traject met de hele geschiedenis en het cliëntdossier naar "
            "de andere organisatie; jouw organisatie kan het daarna niet meer inzien. Dat kan "
            "alleen met toestemming van de cliënt."
        ),
    )


def transfers(request):
    user = request.user
    if not user.is_authenticated or user.role != Role.COORDINATOR:
        raise Http404
    lists = transfer_lists(user)
    log_access(user=user, action=Action.VIEW, record_type="transfers")
    return render(request, "partners/transfers.html", lists)


def decide_transfer(request, reference):
    transfer = get_transfer_for_request(request, reference)
    accept_form = TransferAcceptForm(
        request.POST if request.POST.get("decision") == "accept" else None,
        organisation=transfer.to_organisation,
    )
    decline_form = DeclineForm(request.POST if request.POST.get("decision") == "decline" else None)
    if request.method == "POST":
        form = accept_form if request.POST.get("decision") == "accept" else decline_form
        if form.is_valid():
            try:
                if form is accept_form:
                    transfer_accept(transfer=transfer, by=request.user, **form.cleaned_data)
                    messages.success(request, _("Het traject is overgenomen."))
                    return redirect("cases:detail", reference=transfer.case.reference)
                transfer_decline(transfer=transfer, by=request.user, **form.cleaned_data)
                messages.success(request, _("De overdracht is afgewezen."))
                return redirect("partners:transfers")
            except ValidationError as exc:
                form.add_error(None, exc)
    return render(
        request,
        "partners/transfer_decide.html",
        {"transfer": transfer, "accept_form": accept_form, "decline_form": decline_form},
    )


# --- The section on the case page (registered in PartnersConfig.ready) ----------------------


def case_page_section(request, case, needs):
    return {
        "template": "partners/_case_section.html",
        "referrals": list(referrals_for_case(case)),
        "consents": list(case.client.consents.select_related("partner")),
        "open_transfer": transfers_for_case(case),
        "has_open_needs": any(n.status in ("open", "in_progress") for n in needs),
    }
