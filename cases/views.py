from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.forms import (
    AssessmentForm,
    CaseCloseForm,
    CaseOpenForm,
    CaseReassignForm,
    CaseShareForm,
    ContactMomentForm,
    FirstHelpForm,
    NeedForm,
    NeedStatusForm,
    PhaseChangeForm,
)
from cases.guidance import find_suggestion, suggestions_for
from cases.hooks import CASE_PAGE_SECTIONS
from cases.models import LifeDomain, MatrixVersion, Phase
from cases.selectors import (
    assessment_overview,
    case_timeline,
    caseload,
    first_help_summary,
    get_case_for_request,
    may_write_case,
    needs_for_case,
)
from cases.services import (
    assessment_record,
    case_change_phase,
    case_close,
    case_log_contact,
    case_open,
    case_reassign,
    case_share_grant,
    case_share_revoke,
    need_create,
    need_record_first_help,
    need_update_status,
)
from pmw.audit import Action, log_access
from pmw.form_page import form_page
from pmw.models import Role
from profiles.selectors import get_client_for_request

SEARCH_SESSION_KEY = "caseload_q"


def case_list(request):
    """The caseload. The search term travels by POST and lives in the session, never in the
    URL: a working name in a query string ends up in browser history, proxy and server logs."""
    user = request.user
    if not user.does_casework:
        raise Http404
    if request.method == "POST":
        request.session[SEARCH_SESSION_KEY] = request.POST.get("q", "")[:100].strip()
        keep = {k: request.POST.get(k, "") for k in ("phase", "status", "scope")}
        query_string = urlencode({k: v for k, v in keep.items() if v})
        return redirect(reverse("cases:list") + (f"?{query_string}" if query_string else ""))
    if request.GET.get("reset"):
        request.session.pop(SEARCH_SESSION_KEY, None)
    everyone = user.role == Role.COORDINATOR and request.GET.get("scope") != "mine"
    phase = request.GET.get("phase", "")
    phase = phase if phase in Phase.values else ""
    status = request.GET.get("status", "open")
    status = status if status in ("open", "closed", "all") else "open"
    query = request.session.get(SEARCH_SESSION_KEY, "")
    cases = caseload(user, phase=phase, query=query, status=status, everyone=everyone)
    page = Paginator(cases, settings.CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    # A list of names is a read of client data too; the search term itself is not logged.
    log_access(
        user=user,
        action=Action.SEARCH if query else Action.VIEW,
        record_type="caseload",
        detail=f"page={page.number} rows={len(page.object_list)}",
    )
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "phases": Phase.choices,
            "phase": phase,
            "status": status,
            "q": query,
            "everyone": everyone,
        },
    )


def open_case(request, number):
    client = get_client_for_request(request, number, write=True)
    form = CaseOpenForm(
        request.POST or None, organisation=client.organisation, initial={"worker": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = case_open(client=client, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Het traject is gestart."))
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/open.html", {"form": form, "client": client})


def detail(request, reference):
    case = get_case_for_request(request, reference)
    needs = needs_for_case(case)
    domains = {domain.code: domain for domain in LifeDomain.objects.all()}
    in_plan = {(need.domain.code, need.description) for need in needs}
    suggestions = [
        {
            "suggestion": s,
            "domains": [
                {"domain": domains[code], "in_plan": (code, s.row.display) in in_plan}
                for code in s.row.domains
                if code in domains
            ],
        }
        for s in suggestions_for(case.client.profile, case.phase)
    ]
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "client": case.client,
            "stop_reasons": case.stop_reasons.all(),
            "may_write": may_write_case(request.user, case),
            "needs": needs,
            "first_help": first_help_summary(needs),
            "suggestions": suggestions,
            "assessments": assessment_overview(case),
            "sections": [section(request, case, needs) for section in CASE_PAGE_SECTIONS],
        },
    )


def timeline(request, reference):
    """Everything that happened in a case, newest first, on its own page: a long history
    would otherwise make every visit to the case page slow."""
    case = get_case_for_request(request, reference)
    page = Paginator(case_timeline(case), settings.CASE_TIMELINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/timeline.html",
        {
            "case": case,
            "client": case.client,
            "page": page,
            "may_write": may_write_case(request.user, case),
        },
    )


def _case_url(case) -> str:
    return reverse("cases:detail", args=[case.reference])


def log_contact(request, reference):
    case = get_case_for_request(request, reference, write=True)

    def save(data):
        case_log_contact(case=case, by=request.user, **data)
        messages.success(request, _("Het contactmoment is vastgelegd."))

    return form_page(
        request,
        ContactMomentForm(request.POST or None),
        save,
        heading=_("Contactmoment vastleggen"),
        submit_label=_("Opslaan"),
        case=case,
        back_url=_case_url(case),
    )


def change_phase(request, reference):
    case = get_case_for_request(request, reference, write=True)

    def save(data):
        change = case_change_phase(case=case, by=request.user, **data)
        messages.success(
            request,
            _("Het traject is nu in de %(phase)s.")
            % {"phase": change.get_to_phase_display().lower()},
        )

    form = PhaseChangeForm(request.POST or None, initial={"to": case.phase})
    return form_page(
        request,
        form,
        save,
        heading=_("Fase wijzigen"),
        submit_label=_("Fase wijzigen"),
        case=case,
        back_url=_case_url(case),
    )


def close(request, reference):
    case = get_case_for_request(request, reference, write=True)

    def save(data):
        case_close(case=case, by=request.user, **data)
        messages.success(request, _("Het traject is afgesloten."))

    return form_page(
        request,
        CaseCloseForm(request.POST or None),
        save,
        heading=_("Traject afsluiten"),
        submit_label=_("Traject afsluiten"),
        case=case,
        back_url=_case_url(case),
        intro_template="cases/_close_intro.html",
        danger=True,
    )


def reassign(request, reference):
    case = get_case_for_request(request, reference, coordinator_only=True)

    def save(data):
        change = case_reassign(case=case, by=request.user, **data)
        messages.success(
            request, _("%(worker)s is nu de vaste hulpverlener.") % {"worker": change.to_worker}
        )

    form = CaseReassignForm(request.POST or None, case=case)
    return form_page(
        request,
        form,
        save,
        heading=_("Vaste hulpverlener wijzigen"),
        submit_label=_("Wijzigen"),
        case=case,
        back_url=_case_url(case),
        intro_template="cases/_reassign_intro.html",
    )


def add_need(request, reference):
    case = get_case_for_request(request, reference, write=True)

    def save(data):
        need_create(case=case, by=request.user, **data)
        messages.success(request, _("De hulpvraag staat in het ondersteuningsplan."))

    return form_page(
        request,
        NeedForm(request.POST or None),
        save,
        heading=_("Hulpvraag toevoegen"),
        submit_label=_("Toevoegen"),
        case=case,
        back_url=_case_url(case),
    )


@require_POST
def need_from_suggestion(request, reference):
    """One click turns a suggestion from the profile guidance into a need; never automatic."""
    case = get_case_for_request(request, reference, write=True)
    suggestion = find_suggestion(case.client.profile, case.phase, request.POST.get("key", ""))
    code = request.POST.get("domain", "")
    if suggestion is None or code not in suggestion.row.domains:
        messages.error(request, _("Deze suggestie hoort niet bij de huidige fase."))
        return redirect("cases:detail", reference=case.reference)
    try:
        need_create(
            case=case,
            domain=get_object_or_404(LifeDomain, code=code),
            description=suggestion.row.display,
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De hulpvraag staat in het ondersteuningsplan."))
    return redirect("cases:detail", reference=case.reference)


def _need_of(case, need_id):
    return get_object_or_404(case.needs.select_related("domain"), pk=need_id)


def need_status(request, reference, need_id):
    case = get_case_for_request(request, reference, write=True)
    need = _need_of(case, need_id)

    def save(data):
        need_update_status(need=need, by=request.user, **data)
        messages.success(request, _("De status van de hulpvraag is bijgewerkt."))

    form = NeedStatusForm(request.POST or None, initial={"status": need.status})
    return form_page(
        request,
        form,
        save,
        heading=_("Status van de hulpvraag: %(domain)s") % {"domain": need.domain},
        submit_label=_("Opslaan"),
        case=case,
        back_url=_case_url(case),
    )


def need_first_help(request, reference, need_id):
    case = get_case_for_request(request, reference, write=True)
    need = _need_of(case, need_id)

    def save(data):
        need_record_first_help(need=need, by=request.user, **data)
        messages.success(request, _("De eerste concrete hulp is vastgelegd."))

    return form_page(
        request,
        FirstHelpForm(request.POST or None, initial={"on": need.first_help_on}),
        save,
        heading=_("Eerste concrete hulp: %(domain)s") % {"domain": need.domain},
        submit_label=_("Opslaan"),
        case=case,
        back_url=_case_url(case),
    )


def add_assessment(request, reference):
    case = get_case_for_request(request, reference, write=True)
    version = MatrixVersion.objects.filter(is_current=True).first()
    if version is None:
        raise Http404
    form = AssessmentForm(request.POST or None, domains=version.domains.all())

    def save(data):
        assessment_record(
            case=case,
            kind=data["kind"],
            assessed_on=data["assessed_on"],
            version=version,
            scores=form.scores(),
            note=data["note"],
            by=request.user,
        )
        messages.success(request, _("De meting is vastgelegd."))

    return form_page(
        request,
        form,
        save,
        heading=_("Meting zelfredzaamheid (%(version)s)") % {"version": version},
        submit_label=_("Opslaan"),
        case=case,
        back_url=_case_url(case),
    )


def shares(request, reference):
    """Share a case with a colleague for a while (a holiday, an absence)."""
    case = get_case_for_request(request, reference, manage=True)
    form = CaseShareForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            share = case_share_grant(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Gedeeld met %(user)s tot en met %(day)s.")
                % {"user": share.user, "day": share.expires_on.strftime("%d-%m-%Y")},
            )
            return redirect("cases:shares", reference=case.reference)
    return render(
        request,
        "cases/shares.html",
        {
            "case": case,
            "client": case.client,
            "form": form,
            "shares": case.shares.select_related("user", "created_by"),
        },
    )


@require_POST
def share_revoke(request, reference, pk):
    case = get_case_for_request(request, reference, manage=True)
    share = get_object_or_404(case.shares.select_related("user"), pk=pk)
    case_share_revoke(share=share, by=request.user)
    messages.success(request, _("%(user)s heeft geen toegang meer.") % {"user": share.user})
    return redirect("cases:shares", reference=case.reference)
