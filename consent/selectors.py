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
