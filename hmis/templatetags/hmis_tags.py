from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.filter
def error_summary(form):
    """The (anchor, message) pairs of the error summary of ``form`` (templates/includes/error_summary.html)."""
    from hmis.forms import error_summary_items

    return error_summary_items(form)


@register.filter
def has_required_fields(form):
    return any(field.required and not field.widget.is_hidden for field in form.fields.values())
