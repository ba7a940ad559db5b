from django.urls import path

from . import merge_views, notes_views, views

app_name = "clients"

urlpatterns = [
    path("", views.search, name="search"),
    path("intake/", views.intake_consent, name="intake_consent"),
    path("intake/start/", views.intake_start, name="intake_start"),
    path("intake/<int:roi_pk>/", views.intake_client, name="intake_client"),
    path("intake/<int:roi_pk>/finish/", views.intake_finish, name="intake_finish"),
    path("intake/declined/<int:tally_pk>/", views.intake_opted_out, name="intake_opted_out"),
    path("offline-intake-form-<str:lang>.pdf", views.offline_form, name="offline_form"),
    # Merging duplicate records (issue 21): before the client's own pages, which take any word.
    path("merge/", merge_views.merge_new, name="merge_new"),
    path("merges/", merge_views.merge_list, name="merge_list"),
    path("merges/<int:pk>/undo/", merge_views.merge_undo, name="merge_undo"),
    path("<str:client_id>/", views.detail, name="detail"),
    path("<str:client_id>/ssn/", views.reveal_ssn, name="reveal_ssn"),
    path("<str:client_id>/correct/", views.correct, name="correct"),
    path("<str:client_id>/consents/new/", views.consent_new, name="consent_new"),
    path("<str:client_id>/consents/<int:roi_pk>/revoke/", views.roi_revoke, name="roi_revoke"),
    path("<str:client_id>/lock/", views.lock_request, name="lock_request"),
    path("<str:client_id>/gap/", views.gap_request, name="gap_request"),
    # Case notes and files (issue 21)
    path("<str:client_id>/notes/add/", notes_views.note_add, name="note_add"),
    path("<str:client_id>/notes/<int:pk>/correct/", notes_views.note_correct, name="note_correct"),
    path("<str:client_id>/files/upload/", notes_views.file_upload, name="file_upload"),
    path("<str:client_id>/files/<uuid:uuid>/", notes_views.file_download, name="file_download"),
]
