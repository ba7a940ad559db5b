from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class HmisUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("HMIS", {"fields": ("is_system_admin", "password_change_required")}),)
    list_display = ("username", "first_name", "last_name", "is_system_admin", "is_active")
