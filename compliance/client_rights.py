"""R1, R2: a client's copy of their record and the audit of everyone who touched it,
as PDFs in English or Spanish (R4). Producing a printout is itself logged."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from consent.visibility import Viewer, visible_records
from enrollments.selectors import enrollments_for_client
from hmis import dates
from hmis.audit import log_access
from hmis.errors import PolicyError
from hmis.models import AuditEntry

from .models import ClientRightsRequest

DUE_BUSINESS_DAYS = 5

TEXT = {
    "en": {
        "copy_title": "Your personal information in the HMIS", "audit_title": "Who accessed your HMIS record",
        "client_id": "HMIS Client ID", "name": "Name", "dob": "Date of birth", "ssn": "Social Security Number",
        "consents": "Your consents", "stays": "Your project stays", "when": "When", "who": "Who",
        "agency": "Agency", "what": "What happened", "produced": "Produced on", "none": "Nothing recorded.",
        "viewed": "viewed", "printed": "printed", "exported": "exported", "changed": "changed", "created": "created",
        "revealed": "revealed a masked value", "downloaded": "downloaded a document", "api": "read through the API",
        "searched": "saw your name in search results", "deleted": "deleted",
        "partial": "This copy holds what this agency may see under your consents. Other agencies that served you, "
                   "or the HMIS Lead, can give you what they hold.", "grievance": "Questions or a complaint? You may file a grievance, without consequence, with:",
        "notes": "Case notes", "files": "Documents on file", "correction": "correction",
    },
    "es": {
        "copy_title": "Su información personal en el HMIS", "audit_title": "Quién accedió a su expediente del HMIS",
        "client_id": "Número de cliente del HMIS", "name": "Nombre", "dob": "Fecha de nacimiento",
        "ssn": "Número de Seguro Social", "consents": "Sus consentimientos", "stays": "Sus estancias en programas",
        "when": "Cuándo", "who": "Quién", "agency": "Agencia", "what": "Qué pasó", "produced": "Preparado el",
        "none": "No hay registros.", "viewed": "vio", "printed": "imprimió", "exported": "exportó",
        "changed": "cambió", "created": "creó", "revealed": "mostró un dato oculto",
        "downloaded": "descargó un documento", "api": "leyó mediante la API", "deleted": "eliminó",
        "searched": "vio su nombre en resultados de búsqueda",
        "partial": "Esta copia contiene lo que esta agencia puede ver según sus consentimientos. Otras agencias que "
                   "le atendieron, o la entidad líder del HMIS, pueden darle lo que ellas tienen.",
        "grievance": "¿Preguntas o una queja? Puede presentar una queja, sin consecuencias, ante:",
        "notes": "Notas del caso", "files": "Documentos archivados", "correction": "corrección",
    },
}


@transaction.atomic
def record_request(*, actor, license, client, kind: str, received_on, language: str,
                   details: str = "") -> ClientRightsRequest:
    """R1: log the written request; it is due 5 business days later (US federal holidays excluded)."""
    if received_on > dates.today():
        raise PolicyError("The request cannot be received in the future.", rule="R1", field="received_on")
    if kind == ClientRightsRequest.Kind.CORRECTION and not details.strip():
        raise PolicyError("Write down what the client says is wrong and what it should say.", rule="D6", field="details")
    return ClientRightsRequest.objects.create(
        client=client, agency=license.agency, kind=kind, language=language, received_on=received_on,
        due_on=dates.add_business_days(received_on, DUE_BUSINESS_DAYS), recorded_by=actor, details=details.strip())


def producing_agency(client):
    """R1, R2: the agency that produces a request taken elsewhere: the one serving the client
    now or last (the agency of their latest stay; a victim service provider's never, A6),
    else the agency that entered them. Its staff can see the client's record (they serve
    them), which the agency or the HMIS Lead that took the request may not."""
    from enrollments.models import Enrollment

    latest = (Enrollment.objects.filter(client=client, project__agency__is_victim_service_provider=False)
              .order_by("-entry_date", "-pk").select_related("project__agency").first())
    return latest.project.agency if latest else client.entered_by_agency


def client_for_request(client_id: str, dob):
    """The client a request names, by HMIS Client ID and date of birth together (the person
    in front of the taker shows both): a wrong pair finds no one, so the page can be used
    neither to learn a stranger's date of birth nor to probe which IDs exist."""
    from clients.merge import final_survivor
    from clients.models import Client, normalize_client_id

    client = Client.objects.filter(client_id=normalize_client_id(client_id), dob=dob).first()
    # A client whose card still shows a record since merged into another asks for the record
    # their information lives in now.
    return final_survivor(client) if client is not None else None


@transaction.atomic
def take_request_at_any_door(*, actor, license, is_lead: bool, client_id: str, dob, kind: str, received_on,
                             language: str, details: str = "") -> ClientRightsRequest:
    """R1, R2 (seed 000: "accessible at any agency that participates in HMIS", or sent to the
    HMIS Lead): log the written request where the client hands it in; the serving agency
    produces it and is told by HMIS Client ID only (E1). The taker learns nothing of the
    record but the request's due date and whether it was produced."""
    from agencies.models import License
    from agencies.selectors import agency_managers
    from hmis.notify import notify

    client = client_for_request(client_id, dob)
    if client is None:
        raise PolicyError("No client has this HMIS Client ID and date of birth. Check both with the client; if the "
                          "client has no date of birth recorded, send the written request to the HMIS Lead.",
                          rule="R1", field="client_id")
    if kind == ClientRightsRequest.Kind.CORRECTION:
        raise PolicyError("Corrections are made by the agency that serves the client: ask the client to take the "
                          "request there.", rule="D6", field="kind")
    if received_on > dates.today():
        raise PolicyError("The request cannot be received in the future.", rule="R1", field="received_on")
    producer = producing_agency(client)
    taken_at = None if is_lead or license is None or license.agency_id == producer.pk else license.agency
    made = ClientRightsRequest.objects.create(
        client=client, agency=producer, taken_at=taken_at, taken_by_hmis_lead=is_lead, kind=kind, language=language,
        received_on=received_on, due_on=dates.add_business_days(received_on, DUE_BUSINESS_DAYS), recorded_by=actor,
        details=details.strip())
    if taken_at is not None or is_lead:
        what = "a copy of their record" if kind == ClientRightsRequest.Kind.COPY else "an audit of their record"
        notify(agency_managers(producer, roles=(License.Role.EXECUTIVE_DIRECTOR, License.Role.AUTHORIZED_REPRESENTATIVE,
                                                License.Role.DESIGNATED_CONTACT)),
               subject=f"Client {client.display_id} asked for {what}: due {made.due_on:%m/%d/%Y}",
               body=(f"The request was handed in at {'the HMIS Lead' if is_lead else taken_at.name}. Your agency "
                     "serves the client: produce the printout from the client's requests page by the due date."),
               link=f"/compliance/client-rights/{client.client_id}/", dedupe_key=f"rights-request:{made.pk}")
    return made


def requests_to_produce(agency):
    """R1, R2: the agency's open copy and audit requests, most urgent first."""
    return (ClientRightsRequest.objects.filter(agency=agency, fulfilled_at__isnull=True)
            .exclude(kind=ClientRightsRequest.Kind.CORRECTION).select_related("client", "taken_at")
            .order_by("due_on", "pk"))


def requests_taken_for_others(agency=None, by_lead=False):
    """Requests handed in here and produced elsewhere: status only (due, produced)."""
    taken = (ClientRightsRequest.objects.filter(taken_by_hmis_lead=True) if by_lead
             else ClientRightsRequest.objects.filter(taken_at=agency))
    return taken.select_related("client", "agency").order_by("-received_on", "-pk")


@transaction.atomic
def close_correction(*, actor, request: ClientRightsRequest, outcome: str) -> ClientRightsRequest:
    """D6: the correction itself is made on the client's record (marked and supplemented,
    history kept); this closes the client's request with what was done."""
    if request.kind != ClientRightsRequest.Kind.CORRECTION or request.fulfilled_at:
        raise PolicyError("This is not an open correction request.", rule="D6")
    if not outcome.strip():
        raise PolicyError("Say what was corrected, or why nothing was.", rule="D6", field="outcome")
    request.outcome, request.fulfilled_at = outcome.strip(), timezone.now()
    request.save(update_fields=["outcome", "fulfilled_at"])
    return request


@transaction.atomic
def record_grievance(*, actor, license, client, received_on, description: str):
    """R3: the grievance goes to the agency's named grievance contact (and, so it is never
    lost, to the agency's director and representatives). Alerts carry the Client ID only."""
    from agencies.selectors import agency_managers
    from hmis.notify import email_on_commit, notify

    from .models import Grievance

    if received_on > dates.today():
        raise PolicyError("The grievance cannot be received in the future.", rule="R3", field="received_on")
    agency = license.agency
    grievance = Grievance.objects.create(
        agency=agency, client=client, received_on=received_on, description=description, recorded_by=actor,
        routed_to=agency.grievance_contact or "Agency director and authorized representatives (no contact named)")
    subject = f"Grievance filed by client {client.display_id}"
    notify(agency_managers(agency), subject=subject, link="/compliance/agency/", dedupe_key=f"grievance:{grievance.pk}")
    if agency.grievance_contact_email:
        email_on_commit(agency.grievance_contact_email, subject=subject,
                        body=f"A client grievance was recorded for {agency.name}.", link="/compliance/agency/")
    return grievance


@transaction.atomic
def resolve_grievance(*, actor, grievance, response: str):
    from agencies.services import AGENCY_MANAGERS, _require_agency_role

    from .models import Grievance

    _require_agency_role(actor, grievance.agency, AGENCY_MANAGERS, "R3")
    if grievance.status == Grievance.Status.RESOLVED:
        raise PolicyError("Already resolved.", rule="R3")
    if not response.strip():
        raise PolicyError("Say how the grievance was resolved.", rule="R3", field="response")
    grievance.response, grievance.status = response.strip(), Grievance.Status.RESOLVED
    grievance.resolved_at, grievance.resolved_by = timezone.now(), actor
    grievance.save()
    return grievance


def audit_entries(client):
    """Every read and change of the client's record: the client row itself, its consents
    and stays, and every access entry that names the client or a record merged into it."""
    from consent.models import Roi
    from enrollments.models import Assessment, Enrollment

    def of(model, pks):
        return Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(pk) for pk in pks])

    # Issue 21: records merged into this one (clients/merge.py) keep their own entries, written
    # under their own Client ID: the audit lists them too, so no read of them is lost.
    from clients.merge import merged_records

    merged = merged_records(client)
    stays = list(Enrollment.objects.filter(client=client).values_list("pk", flat=True))
    condition = (Q(client_ref__in=[client.client_id, *(c.client_id for c in merged)])
                 | of(type(client), [client.pk, *(c.pk for c in merged)])
                 | of(Roi, client.rois.values_list("pk", flat=True)) | of(Enrollment, stays)
                 | of(Assessment, Assessment.objects.filter(enrollment_id__in=stays).values_list("pk", flat=True)))
    return AuditEntry.objects.filter(condition).select_related("actor", "agency", "content_type").order_by("timestamp")


def describe(entry, t) -> str:
    if entry.action == AuditEntry.Action.ACCESS:
        kind = {"view": "viewed", "print": "printed", "export": "exported", "reveal": "revealed",
                "download": "downloaded", "api": "api", "search": "searched"}.get(entry.access_kind, "viewed")
        return t[kind]
    verb = {AuditEntry.Action.CREATE: "created", AuditEntry.Action.UPDATE: "changed",
            AuditEntry.Action.DELETE: "deleted"}[entry.action]
    return f"{t[verb]}: {entry.content_type.name}"


def produce(*, actor, license, request: ClientRightsRequest, request_obj=None) -> tuple[bytes, str]:
    """The PDF for the request, and its file name (HMIS Client ID only, E1)."""
    from hmis.pdf import render_pdf

    if request.kind == ClientRightsRequest.Kind.CORRECTION:
        raise PolicyError("A correction request has no printout: correct the record, then close the request.", rule="D6")

    client = request.client
    t = TEXT[request.language]
    context = {"t": t, "lang": request.language, "client": client, "produced": timezone.localtime(), "agency": license.agency}
    viewer = Viewer(actor, license)
    # C12, A7: the printout holds what the producing agency may see; the HMIS Lead prints it whole.
    rois = visible_records(viewer, client.rois.select_related("agency", "project"), client=client).order_by("signed_on")
    stays = sorted(enrollments_for_client(viewer=viewer, client=client), key=lambda stay: (stay.entry_date, stay.pk))
    context["partial"] = not viewer.is_admin
    if request.kind == ClientRightsRequest.Kind.AUDIT:
        # An agency that serves the client where the viewer may not see it (a protected
        # project, a narrower consent) is not named through its staff's reads either.
        known = {viewer.agency_id, *(r.agency_id for r in rois), *(s.agency_id for s in stays)}
        hidden = set() if viewer.is_admin else set(client.rois.values_list("agency_id", flat=True)) - known
        context["rows"] = [(e.timestamp, e.actor.display_name if e.actor else "System", e.agency.name if e.agency else "",
                            describe(e, t)) for e in audit_entries(client) if e.agency_id not in hidden]
        template = "compliance/audit_pdf.html"
    else:
        # Issue 21: the case notes and files the producing agency may see (C10, C12), as
        # visibility.py decides for every reader; files by the name the client knows them by.
        from consent.visibility import visible_notes

        context.update({"rois": rois, "stays": stays,
                        "notes": visible_notes(viewer, client.case_notes.select_related("agency")).order_by(
                            "note_date", "created_at", "pk"),
                        "files": visible_notes(viewer, client.files.select_related("agency")).exclude(
                            scan_result="infected").order_by("uploaded_at", "pk")})
        template = "compliance/copy_pdf.html"
    pdf = render_pdf(template, context, request_obj)
    log_access(client, kind=AuditEntry.AccessKind.PRINT, actor=actor, agency=license.agency, client_ref=client.client_id,
               note=f"{request.get_kind_display()} printout")
    ClientRightsRequest.objects.filter(pk=request.pk, fulfilled_at__isnull=True).update(fulfilled_at=timezone.now())
    return pdf, f"{request.kind}-{client.display_id}-{request.language}.pdf"
