"""H4: two exits on one date, as the FY2026 SPM Programming Specifications settle them: "use the record
with the lowest [enrollment ID]" (Measure 2 step 2, Metric 7b.1 step 2). Our enrollment key stands for
HUD's EnrollmentID (the first stored is the lowest). Unit tests on the building blocks the tables use
(reports/hud/spm.py permanent_exit, reports/hud/spm_measures.py _leavers)."""

from datetime import date

from reports.hud import spm, spm_measures

D = date
START, END = D(2025, 10, 1), D(2026, 9, 30)


def m2_stay(pk, kind, entry, exit_date, destination=410):
    return spm.Stay(pk, 1, "C1", kind, entry, exit_date, destination, None, f"H{pk}", pk, True, None, None, None,
                    None)


def test_h4_measure_2_tie_on_the_exit_date_takes_the_lowest_enrollment():
    # Exits to a rental (410) on the same day, 02/01/2024, inside the window (10/02/2023-09/30/2024):
    # from TH (enrollment 7, started 01/01/2024) and from ES (enrollment 9, started earlier, 12/01/2023).
    # HUD: the lowest enrollment ID, 7 (TH), not the earlier start (an older vendor page's reading).
    th = m2_stay(7, spm.TH, D(2024, 1, 1), D(2024, 2, 1))
    es = m2_stay(9, spm.ES_EE, D(2023, 12, 1), D(2024, 2, 1))
    assert spm.permanent_exit([es, th], START, END) is th
    # An earlier exit still comes first, whatever its enrollment ID.
    earlier = m2_stay(12, spm.SO, D(2023, 11, 1), D(2024, 1, 15))
    assert spm.permanent_exit([es, th, earlier], START, END) is earlier


def m7_stay(pk, kind, exit_date, destination):
    return spm_measures.Stay(pk, "C1", f"H{pk}", True, D(2026, 1, 1), exit_date, None, destination, None, pk, kind)


def test_h4_measure_7_tie_on_the_latest_exit_takes_the_lowest_enrollment():
    # Both exits on 06/30/2026, the latest: enrollment 4 from TH to a rental (410, permanent) and enrollment 5
    # from ES to a shelter (101). HUD: the lowest enrollment ID, 4: the person counts as exited to
    # permanent housing in 7b.1.
    to_rental = m7_stay(4, spm_measures.TH, D(2026, 6, 30), 410)
    to_shelter = m7_stay(5, spm_measures.ES_EE, D(2026, 6, 30), 101)
    for stays in ([to_rental, to_shelter], [to_shelter, to_rental]):
        assert spm_measures._leavers(stays, START, END, spm_measures.ES_SH_TH) == {"C1": to_rental}
        assert spm_measures.measure_7b1(stays, {}, START, END) == [{"C1"}, {"C1"}]
    # A later exit wins over both.
    later = m7_stay(9, spm_measures.ES_EE, D(2026, 7, 1), 101)
    assert spm_measures._leavers([to_rental, to_shelter, later], START, END, spm_measures.ES_SH_TH) == {"C1": later}
