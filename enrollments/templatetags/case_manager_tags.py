"""{% case_manager_section enrollment=... %}: the stay's case manager on its page, with the
form to name one for those hmis/access.py lets (issue 21)."""

from django import template

register = template.Library()


@register.inclusion_tag("enrollments/_case_manager.html", takes_context=True)
def case_manager_section(context, enrollment):
    from enrollments.case_manager import CaseManagerForm
    from hmis.access import assigns_case_manager

    request = context["request"]
    may_assign = assigns_case_manager(request, enrollment)
    form = CaseManagerForm(agency=enrollment.agency, initial={"case_manager": enrollment.case_manager_id},
                           prefix=None) if may_assign else None
    return {"request": request, "csrf_token": context.get("csrf_token"), "enrollment": enrollment,
            "may_assign": may_assign, "form": form}
