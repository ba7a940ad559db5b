"""The HMIS Lead merges duplicate client records and undoes a merge within 30 days (issue 21).

Thin views: clients/merge_selectors.py reads, clients/merge.py writes and decides the rules;
who may come here at all is hmis/access.py's MERGES_CLIENTS. Client IDs are POSTed or carried
in the query string (never a name, E1)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from consent.visibility import Viewer
from hmis.access import MERGES_CLIENTS, access
from hmis.errors import PolicyError
from hmis.viewkit import run_service

from . import merge, merge_selectors
from .merge_forms import MergeForm
from .models import ClientMerge, format_client_id


@access(MERGES_CLIENTS)
def merge_new(request):
    """Two Client IDs -> both records side by side -> which stays, why, confirm -> merged.
    Arriving from a client's page (?client=) or from a possible duplicate (?client=&other=),
    the IDs are filled in."""
    merging = request.method == "POST" and request.POST.get("action") == "merge"
    if request.method == "POST":
        form = MergeForm(request.POST, merging=merging)
    else:  # arriving from a client's page: that client is the first record
        form = MergeForm(initial={"first_id": format_client_id(request.GET.get("client", "")[:12]),
                                  "second_id": format_client_id(request.GET.get("other", "")[:12])})
    sides = None
    if request.method == "POST":
        form.is_valid()
        data = form.cleaned_data
        if "first_id" in data and "second_id" in data:  # both IDs well formed and different
            try:
                sides = merge_selectors.side_by_side(viewer=Viewer.from_request(request), first_id=data["first_id"],
                                                     second_id=data["second_id"])
            except LookupError as missing:
                client_id, message = missing.args
                form.add_error("first_id" if client_id == data["first_id"] else "second_id", message)
        if sides and merging and form.is_valid():
            survivor_id, duplicate_id = form.chosen()
            by_id = {side.client.client_id: side.client for side in sides}
            done = run_service(form, merge.merge_clients, actor=request.user, survivor=by_id[survivor_id],
                               duplicate=by_id[duplicate_id], reason=data["reason"])
            if done is not None:
                messages.success(request, f"Client {done.duplicate.display_id} was merged into client "
                                          f"{done.survivor.display_id}. You can undo it here for "
                                          f"{merge.UNDO_DAYS} days.")
                return redirect("clients:merge_list")
    return render(request, "clients/merge_new.html", {"form": form, "sides": sides, "undo_days": merge.UNDO_DAYS})


@access(MERGES_CLIENTS)
def merge_list(request):
    return render(request, "clients/merge_list.html", {"merges": merge_selectors.recent_merges(),
                                                       "created_anyway": merge_selectors.created_despite_matches(),
                                                       "undo_days": merge.UNDO_DAYS,
                                                       "recent_days": merge_selectors.RECENT_DAYS})


@access(MERGES_CLIENTS)
@require_POST
def merge_undo(request, pk):
    record = get_object_or_404(ClientMerge.objects.select_related("survivor", "duplicate"), pk=pk)
    try:
        merge.undo_merge(actor=request.user, merge=record)
    except PolicyError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"The merge of client {record.duplicate.display_id} into client "
                                  f"{record.survivor.display_id} was undone: they are two records again.")
    return redirect("clients:merge_list")

