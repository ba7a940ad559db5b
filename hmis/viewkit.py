"""Small helpers every app's views share: run a service on a valid form, paginate."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 25


def run_service(form, service, **kwargs):
    """Call ``service(**kwargs)``; put a refusal onto the form so the page re-renders
    with what was typed and says what to fix (DESIGN conv. 10). Returns the result,
    or None when refused."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        put_errors_on_form(form, error)
        return None


def put_errors_on_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for item in errors:
                form.add_error(target, item.messages if hasattr(item, "messages") else item)
    else:
        form.add_error(None, error.messages)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
