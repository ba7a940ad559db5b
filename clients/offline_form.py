"""C4: the blank offline intake form for clients who decline all sharing, in English
and Spanish (R4). Nothing about a person is on it: staff fill it in by hand and
keep it in the agency's secure paper files."""

from hmis.pdf import render_pdf

TEXT = {
    "en": {
        "title": "Offline intake form",
        "intro": ("Use this form for a client who declined all sharing. Do not enter this information "
                  "into the HMIS. Keep the completed form in a locked file at the agency."),
        "agency": "Agency", "project": "Project", "date": "Date served", "staff": "Staff member",
        "name": "Name", "dob": "Date of birth", "household": "Household members (name, relationship, age)",
        "services": "Emergency services provided", "notes": "Notes",
        "refusal": "The client may refuse any question.",
        "footer": "Client information is confidential.",
    },
    "es": {
        "title": "Formulario de admisión sin conexión",
        "intro": ("Use este formulario para un cliente que no aceptó compartir su información. No ingrese "
                  "esta información en el HMIS. Guarde el formulario completo en un archivo bajo llave en la agencia."),
        "agency": "Agencia", "project": "Proyecto", "date": "Fecha del servicio", "staff": "Miembro del personal",
        "name": "Nombre", "dob": "Fecha de nacimiento",
        "household": "Miembros del hogar (nombre, parentesco, edad)",
        "services": "Servicios de emergencia prestados", "notes": "Notas",
        "refusal": "El cliente puede negarse a contestar cualquier pregunta.",
        "footer": "La información del cliente es confidencial.",
    },
}


def render_offline_form_pdf(*, lang: str, request=None) -> bytes:
    agency = getattr(request, "agency", None)
    return render_pdf("clients/offline_form_pdf.html", {"t": TEXT[lang], "lang": lang, "agency": agency}, request)
