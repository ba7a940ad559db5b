"""Read-side queries of consent data."""

def opt_out_by_quarter(tallies, year: int) -> list[dict]:
    """C4: people served without a record, per project and calendar quarter of the year,
    for quarterly utilization reports."""
    from collections import defaultdict

    table = defaultdict(lambda: [0, 0, 0, 0])
    names = {}
    for t in tallies.filter(date__year=year):
        table[t.project_id][(t.date.month - 1) // 3] += t.count
        names[t.project_id] = (t.project.agency.name, t.project.name)
    return [{"agency": names[p][0], "project": names[p][1], "quarters": q, "total": sum(q)}
            for p, q in sorted(table.items(), key=lambda item: names[item[0]])]


def consents_for_other_agencies_clients():
    """C12: consents an agency recorded for a client another agency entered (clients do
    move between agencies). Each is also in the audit log; this is the HMIS Lead's list."""
    from django.db.models import F

    from .models import Roi

    return (
        Roi.clients.through.objects.exclude(roi__agency_id=F("client__entered_by_agency_id"))
        .select_related("roi__agency", "roi__project", "roi__recorded_by", "client__entered_by_agency")
        .order_by("-roi__recorded_at", "-roi_id")
    )
