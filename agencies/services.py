"""Writes of tenancy data (DESIGN conv. 1): keyword-only, atomic, the actor named,
rules enforced, a plain message on refusal."""

from datetime import timedelta
from uuid import uuid4

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hmis.errors import PolicyError
from hmis.models import User

from .models import Agency, Coc, HmisLead, License, Project, ProjectFunder


def _require_admin(actor) -> None:
    if not (actor and actor.is_system_admin):
        raise PolicyError("Only HMIS Lead system administrators can do this.", rule="T3")


def _apply(instance, fields: dict):
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


# --- HMIS Lead and CoCs (T1) -------------------------------------------------
@transaction.atomic
def hmis_lead_save(*, actor, name: str, email: str = "", phone: str = "") -> HmisLead:
    _require_admin(actor)
    lead = HmisLead.objects.filter(pk=1).first() or HmisLead(pk=1)
    _apply(lead, {"name": name, "email": email, "phone": phone})
    lead.full_clean()
    lead.save()
    return lead


@transaction.atomic
def coc_save(*, actor, coc: Coc | None = None, **fields) -> Coc:
    """Create or update a CoC and its policy switches (validated by the model)."""
    _require_admin(actor)
    lead = HmisLead.objects.filter(pk=1).first()
    if lead is None:
        raise PolicyError("Name the HMIS Lead before adding a Continuum of Care.", rule="T1")
    coc = coc or Coc(lead=lead)
    _apply(coc, fields)
    coc.full_clean()
    coc.save()
    return coc


# --- Agencies and projects (T2) ----------------------------------------------
@transaction.atomic
def agency_save(*, actor, agency: Agency | None = None, cocs=None, **fields) -> Agency:
    _require_admin(actor)
    if agency is None:
        agency = Agency(**fields)
        # Renamed to agency:<pk> below, once the agency has its primary key.
        agency.group = Group.objects.create(name=f"agency:pending:{uuid4().hex}")
    else:
        _apply(agency, fields)
    agency.full_clean(exclude=["group"])
    agency.save()
    if agency.group.name != f"agency:{agency.pk}":
        # A group of this name that no agency holds is left from an agency that is gone
        # (its tables migrated back to zero and forward again restart the numbering). It
        # is deleted, not reused: its members and permissions belonged to that agency.
        Group.objects.filter(name=f"agency:{agency.pk}", agency__isnull=True).delete()
        agency.group.name = f"agency:{agency.pk}"
        agency.group.save()
    if cocs is not None:
        if not cocs:
            raise PolicyError("An agency participates in at least one CoC.", rule="T2", field="cocs")
        in_use = set(agency.projects.values_list("coc_id", flat=True)) - {c.pk for c in cocs}
        if in_use:
            names = ", ".join(str(c) for c in Coc.objects.filter(pk__in=in_use))
            raise PolicyError(
                f"The agency still runs projects in {names}; move or close them first.",
                rule="T2",
                field="cocs",
            )
        agency.cocs.set(cocs)
    for license in agency.licenses.all():
        _sync_group_membership(license)
    return agency


@transaction.atomic
def project_save(*, actor, project: Project | None = None, **fields) -> Project:
    _require_admin(actor)
    project = project or Project()
    _apply(project, fields)
    project.updated_at = timezone.now()
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def funder_add(*, actor, project: Project, **fields) -> ProjectFunder:
    _require_admin(actor)
    funder = ProjectFunder(project=project, **fields)
    funder.full_clean()
    funder.save()
    return funder


@transaction.atomic
def funder_remove(*, actor, funder: ProjectFunder) -> None:
    _require_admin(actor)
    funder.delete()


# --- Project descriptor data (H2) ---------------------------------------------
@transaction.atomic
def project_descriptors_save(*, actor, project: Project, **fields) -> Project:
    """2.02 as the HMIS Lead records it: HUD's dependent fields must be complete here.
    Affiliations (2.02.C) go when the project is no longer affiliated."""
    _require_admin(actor)
    from django.core.exceptions import ValidationError

    from .hud_lists import NoYes

    project = Project.objects.select_for_update().get(pk=project.pk)
    _apply(project, fields)
    project.updated_at = timezone.now()
    problems = project.descriptor_problems(complete=True)
    if problems:
        raise ValidationError(problems)
    project.full_clean()
    project.save()
    if not (project.may_affiliate and project.residential_affiliation == NoYes.YES):
        for affiliation in project.affiliations.all():
            affiliation.delete()  # one by one: each removal is in the project's history
    return project


@transaction.atomic
def descriptor_save(*, actor, project: Project, model=None, record=None, **fields):
    """Add (``model``) or change (``record``) one descriptor row of a project: CoC
    information, inventory, affiliation, HMIS or CE participation. The project's row
    is locked first so two Leads cannot record overlapping statuses at the same time."""
    _require_admin(actor)
    Project.objects.select_for_update().filter(pk=project.pk).exists()
    record = record or model(project=project)
    if record.project_id != project.pk:
        raise PolicyError("That record belongs to another project.", rule="H2")
    _apply(record, fields)
    record.updated_at = timezone.now()
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def descriptor_remove(*, actor, record) -> None:
    _require_admin(actor)
    from django.core.exceptions import ValidationError

    from .models import ProjectCoc

    if isinstance(record, ProjectCoc) and record.project.inventories.filter(coc_code=record.coc_code).exists():
        raise ValidationError("Remove or move the inventory recorded for this CoC first.")
    record.delete()


# --- People and licenses (T3, T4, T5) ----------------------------------------
@transaction.atomic
def person_create(
    *, actor, username: str, first_name: str, last_name: str, email: str, password: str,
    is_system_admin: bool = False,
) -> User:
    """A person with a first password chosen by the administrator; they pick their
    own at first sign-in and enrol their second factor."""
    _require_admin(actor)
    from django.contrib.auth.password_validation import validate_password

    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email,
        is_system_admin=is_system_admin, password_change_required=True,
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


def lead_administrator_bootstrap(*, username: str, email: str, first_name: str = "", last_name: str = "") -> tuple[User, str]:
    """The first HMIS Lead system administrator, made by whoever runs the server (no one
    can sign in yet to act as ``actor``). Returns the person and a one-time password:
    they choose their own at first sign-in and then enrol their authenticator."""
    import secrets

    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if not email.strip():
        raise PolicyError("Give their work e-mail address (--email).", field="email")
    if User.objects.filter(username=username).exists():
        raise PolicyError(f"There is already a person with the username {username}.", field="username")
    user = User(username=username, email=email, first_name=first_name, last_name=last_name,
                is_system_admin=True, password_change_required=True)
    user.full_clean(exclude=["password"])
    for _ in range(10):
        password = secrets.token_urlsafe(18)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        break
    user.set_password(password)
    with transaction.atomic():
        user.save()
    return user, password


@transaction.atomic
def person_update(*, actor, person: User, **fields) -> User:
    _require_admin(actor)
    if person == actor and fields.get("is_system_admin") is False:
        raise PolicyError(
            "You cannot remove your own system administrator role; ask another administrator.",
            field="is_system_admin",
        )
    _apply(person, fields)
    person.full_clean(exclude=["password"])
    person.save()
    return person


@transaction.atomic
def person_set_password(*, actor, person: User, password: str) -> User:
    _require_admin(actor)
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, person)
    person.set_password(password)
    person.password_change_required = True
    person.save()
    return person


@transaction.atomic
def person_reset_second_factor(*, actor, person: User) -> None:
    """The person enrols a new authenticator at their next sign-in."""
    _require_admin(actor)
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    User.objects.filter(pk=person.pk).update(current_session_key="")


def _check_projects(agency: Agency, projects) -> None:
    foreign = [p for p in projects if p.agency_id != agency.pk]
    if foreign:
        raise PolicyError(
            "Assigned projects must belong to the license's agency: "
            + ", ".join(p.name for p in foreign),
            rule="T5",
            field="projects",
        )


def _sync_group_membership(license: License) -> None:
    """Object permissions belong to the agency group; members hold an active license at a
    participating agency. (Training and the partner agreement gate use, not membership.)"""
    if license.status == License.Status.ACTIVE and license.agency.may_use_hmis:
        license.user.groups.add(license.agency.group)
    else:
        license.user.groups.remove(license.agency.group)


@transaction.atomic
def license_grant(
    *, actor, user: User, agency: Agency, role: str, access_level: str, projects=(), access_request=None,
    override_reason: str = "",
) -> License:
    """U1: a license comes from an authorized representative's User Access Request
    (``access_request``, approved by ``access_request_decide``). The HMIS Lead may grant
    one without it only by recording why (``override_reason``)."""
    from .models import UserAccessRequest

    _require_admin(actor)
    if user.is_record_author:  # H3: kept from an imported export as an author, never a person who signs in
        raise PolicyError(f"{user.username} is a record author from an imported export and cannot hold a license.",
                          field="user")
    if License.objects.filter(user=user, agency=agency).exists():
        raise PolicyError(
            f"{user.username} already holds a license at {agency.name}; change that license instead.",
            rule="T4",
            field="agency",
        )
    override_reason = override_reason.strip()
    if access_request is None and not override_reason:
        waiting = UserAccessRequest.objects.filter(agency=agency, username=user.username,
                                                   status=UserAccessRequest.Status.REQUESTED).exists()
        raise PolicyError(
            (f"An access request for {user.username} at {agency.name} is waiting: approve it on the "
             "Access requests page, or give the reason for granting without it."
             if waiting else
             f"Licenses come from a User Access Request by {agency.name}'s authorized representative. "
             "To grant one without a request, give the reason: it is recorded and shown on the person's page."),
            rule="U1", field="override_reason")
    _check_projects(agency, projects)
    returning = (License.objects.filter(user=user, status=License.Status.REVOKED).exists()
                 and not License.objects.filter(user=user, status=License.Status.ACTIVE).exists())
    if returning:
        # U2: a returning user repeats the training; what they did before no longer counts.
        User.objects.filter(pk=user.pk).update(training_reset_at=timezone.now())
        user.training_reset_at = timezone.now()
    license = License(user=user, agency=agency, role=role, access_level=access_level, granted_by=actor,
                      grant_override_reason="" if access_request is not None else override_reason)
    license.full_clean()
    license.save()
    license.projects.set(projects)
    _sync_group_membership(license)
    return license


@transaction.atomic
def license_update(
    *, actor, license: License, role: str, access_level: str, projects, status: str,
    status_reason: str = "",
) -> License:
    _require_admin(actor)
    _check_projects(license.agency, projects)
    from compliance.sanctions import SANCTION_REASON, person_under_sanction

    if license.status != License.Status.REVOKED and person_under_sanction(license.user):
        # S1: a sanction suspension ends when the sanctions policy lifts it (remedy, 30
        # days, panel), never by an edit; the edit may still revoke the license.
        if status == License.Status.ACTIVE:
            raise PolicyError(
                f"{license.user.username} is suspended under the sanctions policy (an open violation or "
                "investigation): the suspension ends when the sanction is lifted, not by editing the license. "
                "Keep the license suspended, or revoke it.",
                rule="S1", field="status")
        if status == License.Status.SUSPENDED:
            status_reason = SANCTION_REASON  # the mark by which the sanction is lifted later
    if status != License.Status.ACTIVE and not status_reason.strip():
        raise PolicyError("Say why the license is suspended or revoked.", field="status_reason")
    _apply(license, {"role": role, "access_level": access_level, "status": status,
                     "status_reason": status_reason.strip()})
    license.full_clean()
    license.save()
    license.projects.set(projects)
    # Takes effect at the next request: saving the license bumps the person's gate version (hmis/gate.py).
    _sync_group_membership(license)
    return license


@transaction.atomic
def project_requirements_set(*, actor, project: Project, elements: list[str] | None) -> Project:
    """D2: the HMIS Lead sets which program-specific elements a project collects;
    None restores the defaults for its type and funders."""
    _require_admin(actor)
    from .requirements import ELEMENTS

    unknown = [e for e in (elements or []) if e not in ELEMENTS]
    if unknown:
        raise PolicyError(f"Unknown data elements: {', '.join(unknown)}.", rule="D2", field="elements")
    project.required_elements = None if elements is None else sorted(elements)
    project.save(update_fields=["required_elements"])
    return project


@transaction.atomic
def monitoring_plan_save(*, actor, agency: Agency, plan: str) -> Agency:
    """D4: each agency keeps its data monitoring plan in the HMIS; its director,
    authorized representatives and designated contacts (or the HMIS Lead) write it."""
    from django.utils import timezone

    allowed = actor.is_system_admin or License.objects.filter(
        user=actor, agency=agency, status=License.Status.ACTIVE,
        role__in=[License.Role.EXECUTIVE_DIRECTOR, License.Role.AUTHORIZED_REPRESENTATIVE,
                  License.Role.DESIGNATED_CONTACT],
    ).exists()
    if not allowed:
        raise PolicyError("Only the agency's director, representatives and contacts keep its monitoring plan.", rule="D4")
    agency.data_monitoring_plan = plan.strip()
    agency.plan_updated_at, agency.plan_updated_by = timezone.now(), actor
    agency.save(update_fields=["data_monitoring_plan", "plan_updated_at", "plan_updated_by"])
    return agency


# --- The agency's own administration (A3, A8, U1, U6) -------------------------------
AGENCY_MANAGERS = (License.Role.EXECUTIVE_DIRECTOR, License.Role.AUTHORIZED_REPRESENTATIVE)


def _require_agency_role(actor, agency: Agency, roles, rule: str) -> None:
    if actor.is_system_admin:
        return
    from .selectors import holds_role

    if not holds_role(actor, agency, roles):
        names = " or ".join(str(License.Role(r).label) for r in roles)
        raise PolicyError(f"Only the agency's {names} can do this.", rule=rule)


@transaction.atomic
def agency_profile_update(*, actor, agency: Agency, privacy_notice_url: str, consumer_notice_posted: bool,
                          hipaa_covered: bool, grievance_contact_name: str = "", grievance_contact_phone: str = "",
                          grievance_contact_email: str = "") -> Agency:
    """A8: where the privacy notice is published, the consumer notice, HIPAA status;
    R3: the agency's grievance contact."""
    _require_agency_role(actor, agency, AGENCY_MANAGERS, "A8")
    _apply(agency, {"privacy_notice_url": privacy_notice_url, "consumer_notice_posted": consumer_notice_posted,
                    "hipaa_covered": hipaa_covered, "grievance_contact_name": grievance_contact_name,
                    "grievance_contact_phone": grievance_contact_phone,
                    "grievance_contact_email": grievance_contact_email})
    agency.full_clean(exclude=["group"])
    agency.save()
    return agency


CONTACT_ROLES = (License.Role.END_USER, License.Role.DESIGNATED_CONTACT, License.Role.AUTHORIZED_REPRESENTATIVE)


@transaction.atomic
def license_set_contact_role(*, actor, license: License, role: str) -> License:
    """A3: the agency names its authorized representatives and designated contacts at any time."""
    _require_agency_role(actor, license.agency, AGENCY_MANAGERS, "A3")
    if role not in CONTACT_ROLES or license.role == License.Role.EXECUTIVE_DIRECTOR:
        raise PolicyError("The executive director is changed by the HMIS Lead; choose end user, designated contact "
                          "or authorized representative.", rule="A3", field="role")
    license.role = role
    license.save(update_fields=["role"])
    return license


@transaction.atomic
def access_request_submit(*, actor, agency: Agency, projects=(), **fields):
    """U1: an authorized representative asks for a user account."""
    from .models import UserAccessRequest

    _require_agency_role(actor, agency, (License.Role.AUTHORIZED_REPRESENTATIVE,), "U1")
    existing = User.objects.filter(username=fields.get("username")).first()
    if existing and existing.is_record_author:  # kept from an import: never a person who signs in (H3)
        raise PolicyError("That username belongs to a record author from an imported export. Choose another one.",
                          field="username")
    if existing and License.objects.filter(user=existing, agency=agency).exists():
        raise PolicyError(f"{existing.username} already holds a license at {agency.name}.", rule="U1", field="username")
    if existing and existing.email.lower() != fields.get("email", "").lower():
        raise PolicyError("That username belongs to someone else. Choose another one.", field="username")
    _check_projects(agency, projects)
    request = UserAccessRequest(agency=agency, requested_by=actor, **fields)
    request.full_clean(exclude=["user"])
    request.save()
    request.projects.set(projects)
    from hmis.notify import hmis_lead_admins, notify

    notify(hmis_lead_admins(), subject=f"User access request from {agency.name}",
           body=f"{actor.display_name} asks for an account for {request.username}.",
           link="/access-requests/", dedupe_key=f"uar:{request.pk}")
    return request


def _first_password() -> str:
    import secrets
    import string

    letters = "".join(secrets.choice(string.ascii_letters) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}-{secrets.randbelow(9000) + 1000}"


@transaction.atomic
def access_request_decide(*, actor, request, approve: bool, reason: str = ""):
    """U1: the HMIS Lead approves (the account and license are made; the first password
    is returned once) or denies with a reason."""
    from django.utils import timezone

    from hmis.notify import notify

    from .models import UserAccessRequest

    _require_admin(actor)
    if request.status != UserAccessRequest.Status.REQUESTED:
        raise PolicyError("This request was already decided.")
    if not approve and not reason.strip():
        raise PolicyError("Give the reason for the denial.", rule="U1", field="reason")
    password = None
    if approve:
        user = User.objects.filter(username=request.username).first()
        if user is None:
            password = _first_password()
            user = person_create(actor=actor, username=request.username, first_name=request.first_name,
                                 last_name=request.last_name, email=request.email, password=password)
        license_grant(actor=actor, user=user, agency=request.agency, role=request.role,
                      access_level=request.access_level, projects=list(request.projects.all()),
                      access_request=request)
        request.user = user
    request.status = UserAccessRequest.Status.APPROVED if approve else UserAccessRequest.Status.DENIED
    request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason.strip()
    request.save()
    notify([request.requested_by], subject=f"Access request for {request.username} {request.get_status_display().lower()}",
           body=reason, link="/my-agency/", dedupe_key=f"uar-decided:{request.pk}")
    return request, password


REVOCATION_BUSINESS_DAYS = 3


@transaction.atomic
def license_revoke(*, actor, license: License, left_on, reason: str) -> License:
    """U6: access ends at once; revocations more than 3 business days after the person
    left are reported to the HMIS Lead."""
    from django.utils import timezone

    from hmis import dates
    from hmis.notify import hmis_lead_admins, notify

    _require_agency_role(actor, license.agency, (License.Role.AUTHORIZED_REPRESENTATIVE,), "U6")
    today = dates.today()
    if left_on > today:
        raise PolicyError("The date the person left cannot be in the future.", rule="U6", field="left_on")
    if license.status == License.Status.REVOKED:
        raise PolicyError("This license is already revoked.")
    license.status, license.status_reason = License.Status.REVOKED, reason.strip() or "Access no longer needed"
    license.left_on, license.revoked_at, license.revoked_by = left_on, timezone.now(), actor
    license.revoked_late = dates.business_days_between(left_on, today) > REVOCATION_BUSINESS_DAYS
    license.save()
    _sync_group_membership(license)
    if license.revoked_late:
        notify(hmis_lead_admins(), subject=f"Late revocation at {license.agency.name}",
               body=(f"{license.user.username} left on {left_on:%m/%d/%Y}; access was revoked on {today:%m/%d/%Y}, "
                     f"more than {REVOCATION_BUSINESS_DAYS} business days later."),
               link="/licenses/?late=1", dedupe_key=f"late-revocation:{license.pk}")
    return license


TERMINATION_NOTICE_DAYS = 30


@transaction.atomic
def termination_notice(*, actor, agency: Agency, termination_date, reason: str = "") -> Agency:
    """A4: an authorized representative gives written notice at least 30 days ahead."""
    from hmis import dates
    from hmis.notify import hmis_lead_admins, notify

    _require_agency_role(actor, agency, (License.Role.AUTHORIZED_REPRESENTATIVE,), "A4")
    today = dates.today()
    if (termination_date - today).days < TERMINATION_NOTICE_DAYS:
        earliest = today + timedelta(days=TERMINATION_NOTICE_DAYS)
        raise PolicyError(f"Termination needs {TERMINATION_NOTICE_DAYS} days' notice: the earliest date is "
                          f"{earliest:%m/%d/%Y}.", rule="A4", field="termination_date")
    agency.termination_date, agency.termination_noticed_on, agency.termination_noticed_by = termination_date, today, actor
    agency.save(update_fields=["termination_date", "termination_noticed_on", "termination_noticed_by"])
    notify(hmis_lead_admins(), subject=f"{agency.name} gave notice to stop participating",
           body=f"Termination on {termination_date:%m/%d/%Y}. {reason}".strip(), link=f"/agencies/{agency.pk}/",
           dedupe_key=f"termination:{agency.pk}:{termination_date:%Y%m%d}")
    return agency


def run_terminations(day=None) -> int:
    """A4, daily and safe to run twice: on the termination date every user loses access
    to the agency's projects and the projects close. Signed ROIs are kept (C8): nothing
    about clients is deleted."""
    from hmis import dates

    day = day or dates.today()
    ended = 0
    for agency in Agency.objects.filter(termination_date__lte=day).exclude(status=Agency.Status.TERMINATED):
        with transaction.atomic():
            for license in agency.licenses.exclude(status=License.Status.REVOKED):
                license.status, license.status_reason = License.Status.REVOKED, "The agency stopped participating"
                license.revoked_at = timezone.now()
                license.save()
                _sync_group_membership(license)
            agency.projects.filter(Q(operating_end__isnull=True) | Q(operating_end__gt=agency.termination_date)).update(
                operating_end=agency.termination_date)
            agency.status = Agency.Status.TERMINATED
            agency.save(update_fields=["status"])
            ended += 1
    return ended


# --- Agency Partner Agreement (A1, A2) ----------------------------------------------
@transaction.atomic
def agreement_publish(*, actor, version: str, text: str):
    from .models import AgreementVersion

    _require_admin(actor)
    if AgreementVersion.objects.filter(version=version).exists():
        raise PolicyError("That version name is taken.", field="version")
    if len(text.strip()) < 50:
        raise PolicyError("Paste the whole agreement text.", field="text")
    return AgreementVersion.objects.create(version=version, text=text.strip(), published_by=actor)


@transaction.atomic
def agreement_sign(*, actor, agency: Agency, signer_name: str, signer_title: str, agree: bool, ip_address=None):
    """A1: the executive director signs the current text in the application; the exact
    text signed is stored with the typed name, title, time and address."""
    from hmis import dates

    from .models import AgreementSignature, AgreementVersion

    _require_agency_role(actor, agency, (License.Role.EXECUTIVE_DIRECTOR,), "A1")
    if actor.is_system_admin and not License.objects.filter(user=actor, agency=agency,
                                                            role=License.Role.EXECUTIVE_DIRECTOR).exists():
        raise PolicyError("The agency's executive director signs, not the HMIS Lead.", rule="A1")
    if not agree:
        raise PolicyError("Tick the box to agree to the text above.", rule="A1", field="agree")
    if not signer_name.strip() or not signer_title.strip():
        raise PolicyError("Type your name and title as your signature.", rule="A1", field="signer_name")
    version = AgreementVersion.objects.first()
    if version is None:
        raise PolicyError("The HMIS Lead has not published the agreement yet.", rule="A1")
    fiscal_year = dates.fiscal_year_of(dates.today())
    if agency.signatures.filter(fiscal_year=fiscal_year).exists():
        raise PolicyError(f"The agreement is already signed for fiscal year {fiscal_year}.", rule="A2")
    signature = AgreementSignature.objects.create(
        agency=agency, version=version, signed_by=actor, signer_name=signer_name.strip(),
        signer_title=signer_title.strip(), ip_address=ip_address, text_signed=version.text, fiscal_year=fiscal_year)
    agency.__dict__.pop("agreement_status", None)
    return signature


def run_agreement_reminders(day=None) -> int:
    """A2, daily and safe to run twice: when renewal opens on 1 October, a week before the
    deadline, and when an agreement lapses, the agency's director and representatives
    are told; the HMIS Lead is told of lapses."""
    from hmis import dates
    from hmis.notify import hmis_lead_admins, notify

    from . import agreements
    from .selectors import agency_managers

    day = day or dates.today()
    fiscal_year = dates.fiscal_year_of(day)
    deadline = agreements.renewal_deadline(fiscal_year)
    sent = 0
    for agency in Agency.objects.exclude(status=Agency.Status.TERMINATED):
        status = agreements.status_of(agency, day)
        managers = agency_managers(agency)
        if status == agreements.RENEWAL_DUE:
            key = "week" if (deadline - day).days <= 7 else "open"
            sent += len(notify(managers, subject=f"Renew the Agency Partner Agreement by {deadline:%m/%d/%Y}",
                               body=f"Fiscal year {fiscal_year} renewal is open. The executive director signs it under My agency.",
                               link="/my-agency/agreement/", dedupe_key=f"apa-{key}:{agency.pk}:{fiscal_year}"))
        elif status == agreements.LAPSED:
            sent += len(notify([*managers, *hmis_lead_admins()],
                               subject=f"{agency.name}: Agency Partner Agreement lapsed",
                               body="The agency is out of compliance: its users cannot enter data until it is signed.",
                               link="/my-agency/agreement/", dedupe_key=f"apa-lapsed:{agency.pk}:{fiscal_year}"))
    return sent


# --- Access applications from outside organizations (A9) ---------------------------
def _refuse(application, actor, reason):
    application.status, application.decision_reason = application.Status.REFUSED, reason
    application.decided_by, application.decided_at = actor, timezone.now()
    application.save()
    return application


def _previously_revoked(email: str) -> bool:
    return License.objects.filter(user__email__iexact=email, status=License.Status.REVOKED).exists()


@transaction.atomic
def application_record(*, actor, **fields):
    """A9: the HMIS Lead records a written application; one-time requests are refused (003 §2.1)."""
    from .models import AccessApplication

    _require_admin(actor)
    application = AccessApplication(recorded_by=actor, **fields)
    application.full_clean()
    application.save()
    if application.one_time:
        _refuse(application, actor, "One-time access is not granted (003 §2.1): ask for a custom data request instead.")
    elif _previously_revoked(application.contact_email):
        _refuse(application, actor, "The requester's HMIS access was revoked before (003 §1.10).")
    return application


@transaction.atomic
def application_review(*, actor, application, criteria: dict, high_abuse_potential: bool, can_involved: bool):
    """A9: the core criteria checked one by one; high abuse potential refuses (003 §2.2);
    all criteria met goes to the HMIS Lead, otherwise to the steering committee, with
    the CAN's leadership involved where one is named (003 §4.2–4.3)."""
    from .models import AccessApplication

    _require_admin(actor)
    if application.status != AccessApplication.Status.SUBMITTED:
        raise PolicyError("This application was already reviewed.")
    if application.can_name and not can_involved:
        raise PolicyError(f"Inform and involve the leadership of {application.can_name} first (003 §4.2).",
                          rule="A9", field="can_involved")
    application.criteria = {code: bool(criteria.get(code)) for code in AccessApplication.CRITERIA}
    application.high_abuse_potential, application.can_involved = high_abuse_potential, can_involved
    if high_abuse_potential:
        return _refuse(application, actor, "High potential for abuse of client data (003 §2.2).")
    if not application.criteria["1.10"]:
        return _refuse(application, actor, "The requester is not in good standing or had access revoked (003 §1.10).")
    application.status = (AccessApplication.Status.READY if all(application.criteria.values())
                          else AccessApplication.Status.STEERING)
    application.save()
    return application


@transaction.atomic
def application_decide(*, actor, application, approve: bool, reason: str = "", mou_signed_on=None,
                       steering: bool = False):
    """A9: the HMIS Lead approves an application that meets the criteria; the steering
    committee decides the others. Approval records the MOU with its access level."""
    from .models import AccessApplication

    _require_admin(actor)
    expected = AccessApplication.Status.STEERING if steering else AccessApplication.Status.READY
    if application.status != expected:
        raise PolicyError("The steering committee decides applications that do not meet every core criterion."
                          if application.status == AccessApplication.Status.STEERING else
                          "Review the criteria first.", rule="A9")
    if not approve:
        if not reason.strip():
            raise PolicyError("Give the reason for the refusal.", field="reason")
        return _refuse(application, actor, reason.strip())
    if mou_signed_on is None:
        raise PolicyError("Record the date the MOU was signed.", rule="A9", field="mou_signed_on")
    application.status, application.decision_reason = AccessApplication.Status.APPROVED, reason.strip()
    application.mou_signed_on, application.mou_access_level = mou_signed_on, application.access_level
    application.decided_by, application.decided_at = actor, timezone.now()
    application.save()
    return application
