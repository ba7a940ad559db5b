"""The sign-in gate's state, cached per session and invalidated by a per-person version.

Every signed-in page needs the same answers before its view runs: is the second factor's
device still there (U10), which licenses may the person work under and which one now
(T4), has the agency signed its partner agreement (A1, A2), is the person's training
done (U2-U5), how long may the session idle (U9), and how many unread alerts the header
shows; client lists also need which CoCs share with the agency (C13). Read from the
database that is six to eight queries a page. Here they are computed once and kept in
the session, with what they were computed from.

Why a version column on the user, not Django's cache: the embedded default has no cache
shared between web processes and the Celery worker (the daily recertification job,
sanctions and agency suspensions run there), so a version kept anywhere but the database
would miss their changes. ``User.gate_version`` is read with the user row that every
request loads anyway, so checking it costs no query: a page's fixed cost is the session
and the user (2 queries).

The cached state is used only while all of these are unchanged: the person's
gate_version, the day (agreements lapse, fiscal years turn and provisional access ends
by date alone), the user row's training_reset_at and is_system_admin, the agency the
session works in, and the device the session was verified with.

Every change to what the gate reads bumps the version of the people it concerns, in the
same transaction as the change, so the next request of each of them recomputes:
- save and delete of the models in USERS_OF: signal receivers below;
- their QuerySet.update(), bulk_create() and bulk_update() (which send no signals):
  the models' default manager is ``GateQuerySet.as_manager()``, which bumps too;
- many-to-many changes (a license's projects, an agency's CoCs): m2m_changed.
A test (tests/hmis/test_gate_cache.py) makes each kind of change and checks that the
very next request sees it, and that every model of USERS_OF has the bumping manager.
"""

from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

EVERYONE = "*"

# Whose gate state a row concerns: the lookup from the row to those people, or
# EVERYONE (a CoC's idle lock also applies to administrators, who work in no agency;
# a new training module is owed by every person).
USERS_OF = {
    "agencies.License": "user",
    "agencies.Agency": "licenses__user",
    # U5: the project types of a person's assigned projects decide the practice cases owed.
    "agencies.Project": "licenses__user",
    "agencies.AgreementSignature": "agency__licenses__user",
    "agencies.Coc": EVERYONE,
    "compliance.TrainingModule": EVERYONE,
    "compliance.TrainingAttempt": "user",
    "compliance.UserAgreementSignature": "user",
    "compliance.PracticeCase": "user",
    "compliance.AccessDecision": "user",
    "hmis.Notification": "recipient",
    "otp_totp.TOTPDevice": "user",
    "otp_static.StaticDevice": "user",
}
# Many-to-many tables whose rows change what the gate reads.
M2M_OF = [("agencies.License", "projects"), ("agencies.Agency", "cocs")]

SESSION_GATE = "hmis_gate"


# --- Invalidation ------------------------------------------------------------------------


def bump(users) -> None:
    """Make the next request of these people (ids, or EVERYONE) recompute their gate state."""
    from .models import User

    if users == EVERYONE or (isinstance(users, set) and EVERYONE in users):
        User.objects.update(gate_version=F("gate_version") + 1)
        return
    ids = {pk for pk in users if pk is not None}
    if ids:
        User.objects.filter(pk__in=ids).update(gate_version=F("gate_version") + 1)


def _path(model):
    return USERS_OF.get(model._meta.label)


def users_of_rows(model, pks) -> set | str:
    path = _path(model)
    if path is None:
        return set()
    if path == EVERYONE:
        return EVERYONE
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return set()
    return set(model._base_manager.filter(pk__in=pks).values_list(path, flat=True)) - {None}


def users_of_instance(instance) -> set | str:
    path = _path(type(instance))
    if path is None:
        return set()
    if path == EVERYONE:
        return EVERYONE
    if "__" not in path:  # a foreign key on the row itself: no query
        return {getattr(instance, type(instance)._meta.get_field(path).attname)}
    return users_of_rows(type(instance), [instance.pk])


def _union(*groups) -> set:
    result = set()
    for group in groups:
        result |= {EVERYONE} if group == EVERYONE else group
    return result


class GateQuerySet(models.QuerySet):
    """The default manager of every model in USERS_OF: bulk writes bump too."""

    def _users(self):
        path = _path(self.model)
        if path is None:
            return set()
        if path == EVERYONE:
            return EVERYONE
        return set(self.order_by().values_list(path, flat=True).distinct()) - {None}

    def update(self, **kwargs):
        # Who is concerned is read before the update (it may change what the filter
        # matches); the bump follows it in the same transaction.
        with transaction.atomic(using=self.db, savepoint=False):
            users = self._users()
            count = super().update(**kwargs)
            if count:
                bump(users)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            path = _path(self.model)
            if path is None:
                pass
            elif path == EVERYONE:
                bump(EVERYONE)
            elif "__" not in path:
                attname = self.model._meta.get_field(path).attname
                bump({getattr(obj, attname) for obj in objs})
            elif all(obj.pk is not None for obj in objs):
                bump(users_of_rows(self.model, [obj.pk for obj in objs]))
            elif objs:
                bump(EVERYONE)  # no primary keys came back: cannot tell whom, so everyone
        return created

    bulk_create.alters_data = True
    # bulk_update() calls update() on this queryset for each batch, so it bumps already.


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(users_of_instance(instance))


def _deleting(sender, instance, **kwargs):
    # After the delete the joins that name the people are gone: find them first.
    instance._gate_users = users_of_instance(instance)


def _deleted(sender, instance, **kwargs):
    bump(getattr(instance, "_gate_users", None) or users_of_instance(instance))


def _m2m_changed(sender, instance, action, model, pk_set, **kwargs):
    if action in ("pre_clear", "pre_remove"):
        instance._gate_users = users_of_instance(instance)
        return
    if not action.startswith("post_"):
        return
    # Both sides: a project's licenses changed from the project's side concern the people
    # of the licenses named. An agency joining or leaving a CoC bumps everyone (the CoC
    # side): rare, and it also changes which agencies share with which (C13).
    mine = users_of_instance(instance)
    theirs = users_of_rows(model, pk_set or ())
    bump(_union(mine, theirs, getattr(instance, "_gate_users", set())))


def connect_receivers() -> None:
    """Called from HmisConfig.ready()."""
    from django.apps import apps

    for label in USERS_OF:
        model = apps.get_model(label)
        uid = f"hmis.gate:{label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
    for label, field in M2M_OF:
        through = apps.get_model(label)._meta.get_field(field).remote_field.through
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"hmis.gate:{label}.{field}")


# --- The cached state --------------------------------------------------------------------


def _key(request, user) -> dict:
    """What the cached state was computed from; a difference in any of these recomputes it."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from . import dates
    from .middleware import SESSION_AGENCY

    return {
        "user": user.pk,
        "version": user.gate_version,
        "day": dates.today().isoformat(),
        "reset": user.training_reset_at.isoformat() if user.training_reset_at else None,
        "admin": bool(user.is_system_admin),
        "agency": request.session.get(SESSION_AGENCY),
        "device": request.session.get(DEVICE_ID_SESSION_KEY),
    }


def cached(request, user) -> dict | None:
    """The session's gate state if it is still current for this person, else None."""
    state = request.session.get(SESSION_GATE)
    if not isinstance(state, dict) or state.get("key") != _key(request, user):
        return None
    return state


def _freeze(instance) -> dict:
    """Field values as JSON (the session serializer's); long text is left to load lazily."""
    values = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.TextField):
            continue
        value = field.value_from_object(instance)
        values[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def _thaw(model, values: dict):
    """A model instance as if read from the database; fields not kept load when read."""
    fields = [field for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db("default", [f.attname for f in fields], [f.to_python(values[f.attname]) for f in fields])


def _reach(agency_id) -> list:
    from consent.visibility import reach_of

    cocs, agencies = reach_of(agency_id)
    return [agency_id, sorted(cocs), sorted(agencies)]


def _compute(request, user) -> dict:
    from django.conf import settings

    from agencies.agreements import status_of
    from agencies.models import Coc
    from agencies.selectors import active_licenses_for
    from compliance.training import training_complete

    from .middleware import SESSION_AGENCY
    from .models import Notification

    licenses = list(active_licenses_for(user))
    chosen = None
    if licenses:
        chosen_id = request.session.get(SESSION_AGENCY)
        chosen = next((lic for lic in licenses if lic.agency_id == chosen_id), licenses[0])
        if chosen_id != chosen.agency_id:
            request.session[SESSION_AGENCY] = chosen.agency_id
    cocs = chosen.agency.cocs.all() if chosen is not None else Coc.objects.all()
    minutes = [coc.idle_lock_minutes for coc in cocs]
    state = {
        "licenses": [{"license": _freeze(lic), "agency": _freeze(lic.agency)} for lic in licenses],
        "chosen": chosen.agency_id if chosen is not None else None,
        "agreement": status_of(chosen.agency) if chosen is not None else None,
        "trained": training_complete(user) if chosen is not None else None,
        "idle_lock_minutes": min(minutes) if minutes else settings.IDLE_LOCK_MINUTES,
        "unread_alerts": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "verified": bool(getattr(user, "is_verified", lambda: False)()),
        # C13: which CoCs and agencies share with the chosen agency (consent/visibility.py
        # reads it for every client list). It changes only with CoCs, their sharing groups and
        # agencies joining or leaving them, and each of those bumps everyone's version.
        "reach": _reach(chosen.agency_id) if chosen is not None else None,
    }
    state["key"] = _key(request, user)  # after the agency was chosen and the device checked
    request.session[SESSION_GATE] = state
    return state


def load(request) -> None:
    """Attach request.license, .agency, .licenses, .idle_lock_minutes and .unread_alerts
    from the session's gate state, computing it first if it is not current."""
    from agencies.models import Agency, License

    def thaw(state):
        licenses = []
        for entry in state["licenses"]:
            license = _thaw(License, entry["license"])
            license.agency = _thaw(Agency, entry["agency"])
            licenses.append(license)
        return licenses

    user = request.user
    state = cached(request, user)
    licenses = None
    if state is not None:
        try:
            licenses = thaw(state)
        except Exception:  # a session written by an older version of the models: recompute
            licenses = None
    if licenses is None:
        state = _compute(request, user)
        licenses = thaw(state)
    chosen = next((lic for lic in licenses if lic.agency_id == state["chosen"]), None)
    for license in licenses:
        license.user = user  # the training check reads it; no query
        license.__dict__["user_trained"] = bool(state["trained"])  # License.user_trained is cached
    if chosen is not None:
        chosen.agency.__dict__["agreement_status"] = state["agreement"]  # Agency.agreement_status
    request.licenses = licenses
    request.license = chosen
    request.agency = chosen.agency if chosen is not None else None
    request.idle_lock_minutes = state["idle_lock_minutes"]
    request.unread_alerts = state["unread_alerts"]
    request.reach = state.get("reach")  # absent from a state cached before it was kept: read when needed


def device_still_verified(request, user) -> bool:
    """For the OTP middleware: the session's device was confirmed and the person's when the
    gate state was computed, and nothing since has bumped the person's version (adding,
    changing or removing a device does)."""
    state = cached(request, user)
    return bool(state and state.get("verified"))
