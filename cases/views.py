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
    CaseCloseForm,
    CaseOpenForm,
    CaseReassignForm,
    CaseShareForm,
    ContactMomentForm,
    PhaseChangeForm,
)
from cases.models import Phase
from cases.selectors import case_timeline, caseload, get_case_for_request, may_write_case
from cases.services import (
    case_change_phase,
    case_close,
    case_log_contact,
    case_open,
    case_reassign,
    case_share_grant,
    case_share_revoke,
)
from pmw.audit import Action, log_access
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
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "client": case.client,
            "timeline": case_timeline(case),
            "stop_reasons": case.stop_reasons.all(),
            "may_write": may_write_case(request.user, case),
        },
    )


def _case_form_page(
    request, case, form, save, *, heading, submit_label, intro_template="", danger=False
):
    """Run a service for a bound form; its ValidationErrors land next to the fields."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/form_page.html",
        {
            "form": form,
            "case": case,
            "client": case.client,
            "heading": heading,
            "submit_label": submit_label,
            "intro_template": intro_template,
            "danger": danger,
        },
    )


def log_contact(request, reference):
    case = get_case_for_request(request, reference, write=True)

    def save(data):
        case_log_contact(case=case, by=request.user, **data)
        messages.success(request, _("Het contactmoment is vastgelegd."))

    return _case_form_page(
        request,
        case,
        ContactMomentForm(request.POST or None),
        save,
        heading=_("Contactmoment vastleggen"),
        submit_label=_("Opslaan"),
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
    return _case_form_page(
        request, case, form, save, heading=_("Fase wijzigen"), submit_label=_("Fase wijzigen")
    )


def close(request, reference):
    case = get_case_for_request(request, reference, write=True)

    def save(data):
        case_close(case=case, by=request.user, **data)
        messages.success(request, _("Het traject is afgesloten."))

    return _case_form_page(
        request,
        case,
        CaseCloseForm(request.POST or None),
        save,
        heading=_("Traject afsluiten"),
        submit_label=_("Traject afsluiten"),
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
    return _case_form_page(
        request,
        case,
        form,
        save,
        heading=_("Vaste hulpverlener wijzigen"),
        submit_label=_("Wijzigen"),
        intro_template="cases/_reassign_intro.html",
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
