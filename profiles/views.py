import csv
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmw.audit import Action, log_access
from pmw.selectors import paginate
from profiles.forms import AccessBlockForm, BreakGlassForm, ClientForm, ClientRegisterForm
from profiles.hooks import CLIENT_PAGE_SECTIONS
from profiles.selectors import (
    access_log_for_client,
    break_glass_events,
    client_export,
    client_possible_duplicates,
    clients_visible_to,
    get_client_for_request,
    may_see_safety_details,
)
from profiles.services import (
    access_block_create,
    access_block_remove,
    client_anonymise,
    client_register,
    client_update,
)


def register(request):
    if not request.user.does_casework:
        raise Http404
    duplicates = visible_duplicates = None
    form = ClientRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = client_possible_duplicates(
            user=request.user,
            working_name=data["working_name"],
            birth_year=data.get("birth_year"),
            phone=data.get("phone", ""),
        )
        if duplicates.exists() and not data["confirm_new_person"]:
            visible_duplicates = list(
                duplicates.filter(pk__in=clients_visible_to(request.user).values("pk"))
            )
            hidden_count = duplicates.count() - len(visible_duplicates)
            for duplicate in visible_duplicates:
                log_access(
                    user=request.user,
                    action=Action.VIEW,
                    record_type="client",
                    record_ref=duplicate.number,
                    client_number=duplicate.number,
                    detail="possible duplicate at registration",
                )
            return render(
                request,
                "profiles/register.html",
                {
                    "form": form,
                    "duplicates": visible_duplicates,
                    "hidden_count": hidden_count,
                },
            )
        client = client_register(
            client=form.save(commit=False),
            sectors=data["sectors"],
            talents=data["talents"],
            by=request.user,
        )
        messages.success(
            request,
            _("%(name)s is geregistreerd als %(number)s.")
            % {"name": client.working_name, "number": client.number},
        )
        return redirect("cases:open", number=client.number)
    return render(request, "profiles/register.html", {"form": form})


def _detail_page(request, client, *, safety_visible, break_glass_form=None):
    return render(
        request,
        "profiles/detail.html",
        {
            "client": client,
            "sections": [section(request, client) for section in CLIENT_PAGE_SECTIONS],
            "sectors": client.sectors.all(),
            "talents": client.talents.all(),
            "safety_visible": safety_visible,
            "break_glass_form": break_glass_form or BreakGlassForm(),
        },
    )


def detail(request, number):
    client = get_client_for_request(request, number)
    return _detail_page(
        request, client, safety_visible=may_see_safety_details(request.user, client)
    )


@require_POST
def break_glass(request, number):
    """Emergency access to a flagged client's shelter location, with a stated reason.

    The answer is this one response (not stored in the session): the next visit asks again.
    """
    form = BreakGlassForm(request.POST)
    if not form.is_valid():
        client = get_client_for_request(request, number, action=Action.VIEW)
        return _detail_page(request, client, safety_visible=False, break_glass_form=form)
    client = get_client_for_request(
        request, number, action=Action.BREAK_GLASS, detail=form.cleaned_data["reason"]
    )
    return _detail_page(request, client, safety_visible=True)


def break_glass_list(request):
    """Coordinator: who used emergency access, when, for which client, and why."""
    if request.user.role != "coordinator":
        raise Http404
    page = paginate(break_glass_events(request.user), request.GET.get("page"))
    # It names clients (by number) and why someone looked: a read of client data.
    log_access(
        user=request.user,
        action=Action.VIEW,
        record_type="break_glass_list",
        detail=f"page={page.number} entries={len(page.object_list)}",
    )
    return render(request, "profiles/break_glass_list.html", {"page": page})


def edit(request, number):
    client = get_client_for_request(request, number, write=True)
    form = ClientForm(
        request.POST or None,
        instance=client,
        show_safety_details=may_see_safety_details(request.user, client),
    )
    if request.method == "POST" and form.is_valid():
        client_update(
            client=form.save(commit=False),
            sectors=form.cleaned_data["sectors"],
            talents=form.cleaned_data["talents"],
            by=request.user,
        )
        messages.success(request, _("De gegevens zijn opgeslagen."))
        return redirect("profiles:detail", number=client.number)
    return render(request, "profiles/edit.html", {"form": form, "client": client})


def blocks(request, number):
    """Coordinator: bar named colleagues from this client (e.g. they know the person)."""
    client = get_client_for_request(request, number, coordinator_only=True)
    form = AccessBlockForm(request.POST or None, client=client, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            block = access_block_create(client=client, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(user)s heeft geen toegang meer tot deze cliënt.") % {"user": block.user},
            )
            return redirect("profiles:blocks", number=client.number)
    return render(
        request,
        "profiles/blocks.html",
        {
            "client": client,
            "form": form,
            "blocks": _own_organisations_blocks(request, client).select_related(
                "user", "created_by"
            ),
        },
    )


def _own_organisations_blocks(request, client):
    # After a transfer, blocks on the sender's staff stay (they protect the client should it
    # ever return), but their names and reasons are not the receiver's to see or lift.
    return client.access_blocks.filter(user__organisation_id=request.user.organisation_id)


@require_POST
def block_remove(request, number, pk):
    client = get_client_for_request(request, number, coordinator_only=True)
    block = get_object_or_404(
        _own_organisations_blocks(request, client).select_related("user", "client"), pk=pk
    )
    access_block_remove(block=block, by=request.user)
    messages.success(request, _("De blokkade voor %(user)s is opgeheven.") % {"user": block.user})
    return redirect("profiles:blocks", number=client.number)


def access_log_export(request, number):
    """Coordinator: "who looked at this file" for one client, as CSV (NEN 7513, GDPR art. 15)."""
    client = get_client_for_request(request, number, coordinator_only=True, action=Action.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="toegangslog-{client.number}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["tijdstip_utc", "gebruiker", "namens", "rol", "handeling", "gegeven", "kenmerk", "ip"]
    )
    for entry in access_log_for_client(client):
        writer.writerow(
            [
                entry.at.astimezone(datetime.UTC).isoformat(),
                entry.username,
                entry.on_behalf_of.username if entry.on_behalf_of else "",
                entry.role,
                entry.action,
                entry.record_type,
                entry.record_ref,
                entry.ip_address or "",
            ]
        )
    return response


def export_page(request, number):
    """GDPR access request: everything about one client, readable (coordinator)."""
    client = get_client_for_request(request, number, coordinator_only=True, action=Action.EXPORT)
    return render(
        request, "profiles/export.html", {"client": client, "export": client_export(client)}
    )


def export_json(request, number):
    """GDPR portability: the same export, machine-readable."""
    client = get_client_for_request(request, number, coordinator_only=True, action=Action.EXPORT)
    response = JsonResponse(
        client_export(client), encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{client.number}.json"'
    return response


def anonymise(request, number):
    """GDPR erasure, with a confirmation step; statistics stay valid (coordinator)."""
    client = get_client_for_request(request, number, coordinator_only=True)
    error = None
    if request.method == "POST":
        if request.POST.get("confirm") != client.number:
            error = _("Typ het cliëntnummer over om te bevestigen.")
        else:
            try:
                client_anonymise(client=client, by=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("De identificerende gegevens zijn gewist."))
                return redirect("profiles:detail", number=client.number)
    return render(request, "profiles/anonymise.html", {"client": client, "error": error})
