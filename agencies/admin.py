"""Django's admin for superusers (break-glass). Everyday administration uses the
HMIS's own screens (agencies/views.py)."""

from django.contrib import admin

from .models import Agency, Coc, HmisLead, License, Project, ProjectFunder

for model in (HmisLead, Coc, Agency, Project, ProjectFunder, License):
    admin.site.register(model)
