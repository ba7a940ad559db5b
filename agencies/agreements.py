"""A1, A2: the Agency Partner Agreement in force for an agency.

No user of an agency may use the HMIS before its executive director signs (A1).
The agreement is renewed each HUD fiscal year: renewal opens on 1 October and the
previous year's signature holds until the renewal deadline (APA_RENEWAL_DAYS after
1 October); after that an unsigned agency is out of compliance and its users cannot
enter data (A2)."""

from datetime import date, timedelta

from django.conf import settings

from hmis import dates

UNSIGNED, CURRENT, RENEWAL_DUE, LAPSED = "unsigned", "current", "renewal_due", "lapsed"
LABELS = {
    UNSIGNED: "Not signed yet: nobody at the agency can use the HMIS",
    CURRENT: "Signed for this fiscal year",
    RENEWAL_DUE: "Renewal due",
    LAPSED: "Lapsed: out of compliance, no data entry",
}


def renewal_deadline(fiscal_year: int) -> date:
    return dates.fiscal_year_start(fiscal_year) + timedelta(days=settings.APA_RENEWAL_DAYS)


def status_of(agency, day: date | None = None) -> str:
    day = day or dates.today()
    latest = agency.signatures.order_by("-fiscal_year", "-signed_at").first()
    if latest is None:
        return UNSIGNED
    fiscal_year = dates.fiscal_year_of(day)
    if latest.fiscal_year >= fiscal_year:
        return CURRENT
    if latest.fiscal_year == fiscal_year - 1 and day <= renewal_deadline(fiscal_year):
        return RENEWAL_DUE
    return LAPSED


def allows_use(agency) -> bool:
    return agency.signatures.exists()


def allows_data_entry(agency, day: date | None = None) -> bool:
    return status_of(agency, day) in (CURRENT, RENEWAL_DUE)
