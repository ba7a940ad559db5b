from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "CoCs, agencies, projects and licenses"

    def ready(self):
        from django.db.models.signals import post_delete

        post_delete.connect(_delete_agency_group, sender=self.get_model("Agency"), dispatch_uid="agencies.group")


def _delete_agency_group(sender, instance, **kwargs):
    """An agency's group (its object permissions, DESIGN conv. 3) goes with the agency, so
    no orphan `agency:N` group is left to collide with a later agency of the same number."""
    from django.contrib.auth.models import Group

    Group.objects.filter(pk=instance.group_id, agency__isnull=True).delete()
