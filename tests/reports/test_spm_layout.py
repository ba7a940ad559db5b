"""H4: the SPM's CSV tables as `manage.py hud_report spm` writes them, pinned to HUD's table shells in
the FY2026 System Performance Measures Programming Specifications (V1.0, October 2025, read from a
public markdown transcription; reports/hud/spm.py M1_ROWS): file names, header rows and row labels,
word for word. The numbers are checked cell by cell in test_spm.py and test_spm_measures.py; here the
CoC has no stays, so every count is 0.

Departures from HUD's shells, on purpose: Measure 2's table is HUD's "2a and 2b", written as 2.csv (the
code is also an HTML id and a URL part); Metric 3.1 is not written (HUD: typed in from the PIT, "not
intended to be programmed into the HMIS"); Measure 6 is not written (Category 3 only: HUD has approved
no CoC for it)."""

import csv
import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
PREVIOUS_CURRENT = ["", "Previous FY", "Current FY", "Difference"]
PERCENT_DIFFERENCE = ["", "Previous FY", "Current FY", "% Difference"]
M1 = ["", "Previous FY Universe (Persons)", "Current FY Universe (Persons)",
      "Previous FY Average LOT Experiencing Homelessness", "Current FY Average LOT Experiencing Homelessness",
      "Difference", "Previous FY Median LOT Experiencing Homelessness",
      "Current FY Median LOT Experiencing Homelessness", "Difference"]
STAYERS = "Universe: Number of adults (system stayers)"
LEAVERS = "Universe: Number of adults who exited (system leavers)"
PRIOR = ("Of persons above, count those who were in ES-EE, ES-NbN, SH, TH, or any PH within 24 months prior to "
         "their start during the reporting year.")
# {file: (header row, first column of the other rows)}
HUD = {
    "1a": (M1, ["Persons in ES-EE, ES-NbN, and SH", "Persons in ES-EE, ES-NbN, SH, and TH"]),
    "1b": (M1, ["Persons in ES-EE, ES-NbN, SH, and PH", "Persons in ES-EE, ES-NbN, SH, TH, and PH"]),
    "2": (["", "Total Number of Persons who Exited to a Permanent Housing Destination (2 Years Prior)",
           "Number Returning to Homelessness in Less than 6 Months (0-180 days)",
           "Percentage of Returns in Less than 6 Months (0-180 days)",
           "Number Returning to Homelessness from 6 to 12 Months (181-365 days)",
           "Percentage of Returns from 6 to 12 Months (181-365 days)",
           "Number Returning to Homelessness from 13 to 24 Months (366-730 days)",
           "Percentage of Returns from 13 to 24 Months (366-730 days)",
           "Number of Returns in 2 Years", "Percentage of Returns in 2 Years"],
          ["Exit was from SO", "Exit was from ES", "Exit was from TH", "Exit was from SH", "Exit was from PH",
           "TOTAL Returns to Homelessness"]),
    "3.2": (PREVIOUS_CURRENT, ["Universe: Unduplicated Total sheltered persons", "Emergency Shelter Total",
                               "Safe Haven Total", "Transitional Housing Total"]),
    "4.1": (PREVIOUS_CURRENT, [STAYERS, "Number of adults with increased earned income",
                               "Percentage of adults who increased earned income"]),
    "4.2": (PREVIOUS_CURRENT, [STAYERS, "Number of adults with increased non-employment cash income",
                               "Percentage of adults who increased non-employment cash income"]),
    "4.3": (PREVIOUS_CURRENT, [STAYERS, "Number of adults with increased total income",
                               "Percentage of adults who increased total income"]),
    "4.4": (PREVIOUS_CURRENT, [LEAVERS, "Number of adults who exited with increased earned income",
                               "Percentage of adults who increased earned income"]),
    "4.5": (PREVIOUS_CURRENT, [LEAVERS, "Number of adults who exited with increased non-employment cash income",
                               "Percentage of adults who increased non-employment cash income"]),
    "4.6": (PREVIOUS_CURRENT, [LEAVERS, "Number of adults who exited with increased total income",
                               "Percentage of adults who increased total income"]),
    "5.1": (PREVIOUS_CURRENT, [
        "Universe: Person with entries into ES-EE, ES-NbN, SH, or TH during the reporting period.", PRIOR,
        "Of persons above, count those who did not have entries in ES-EE, ES-NbN, SH, TH or PH in the previous 24 "
        "months. (i.e. number of persons experiencing homelessness for the first time)"]),
    "5.2": (PREVIOUS_CURRENT, [
        "Universe: Person with entries into ES-EE, ES-NbN, SH, TH or PH during the reporting period.", PRIOR,
        "Of persons above, count those who did not have entries in ES-EE, ES-NbN, SH, TH or PH in the previous 24 "
        "months. (i.e. Number of persons experiencing homelessness for the first time.)"]),
    "7a.1": (PERCENT_DIFFERENCE, [
        "Universe: Persons who exit Street Outreach",
        "Of persons above, those who exited to specific homeless, temporary, and institutional destinations",
        "Of the persons above, those who exited to permanent housing destinations", "% Successful exits"]),
    "7b.1": (PERCENT_DIFFERENCE, [
        "Universe: Persons in ES-EE, ES-NbN, SH, TH, and PH-RRH who exited, plus persons in other PH projects who "
        "exited without moving into housing",
        "Of the persons above, those who exited to permanent housing destinations", "% Successful exits"]),
    "7b.2": (PERCENT_DIFFERENCE, [
        "Universe: Persons in all PH projects except PH-RRH who exited after moving into housing, or who moved "
        "into housing and remained in the PH project",
        "Of persons above, those who remained in applicable PH projects and those who exited to permanent housing "
        "destinations", "% Successful exits/retention"]),
}


def test_h4_spm_tables_carry_huds_names_headers_and_row_labels(tenancy, tmp_path):
    call_command("hud_report", "spm", "--coc", "TS-500", "--start", "2025-10-01", "--end", "2026-09-30",
                 "--out", str(tmp_path), stdout=io.StringIO())
    written = {}
    for path in tmp_path.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            written[path.stem] = list(csv.reader(f))
    assert sorted(written) == sorted(HUD)
    for code, (header, labels) in HUD.items():
        rows = written[code]
        assert rows[0] == header, code
        assert [row[0] for row in rows[1:]] == labels, code
        assert all(len(row) == len(header) for row in rows), code
    # Nobody in the CoC: zero persons; Measure 1's averages and medians 0.00; Measure 7's relative
    # change blank (no one the previous FY to compare with).
    assert written["1a"][1][1:] == ["0", "0", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"]
    assert written["7b.1"][1][1:] == ["0", "0", ""]
