"""Headers that keep client data out of caches.

Every response Django builds may carry client data (pages, the SSN reveal, PDFs,
CSV and zip downloads, API answers), so none of them may be kept by the browser's
cache, a shared proxy or the back button's page store: ``Cache-Control: no-store``
(and ``Pragma: no-cache`` for HTTP/1.0 caches). Applied to every response, signed in
or not, because deciding "this one has no client data" is the kind of judgement
that leaks; a sign-in page gains nothing from being cached either.

Static files are the one exception: WhiteNoise (listed before this middleware)
answers them before Django's views, and anything under STATIC_URL that still
reaches here is left as it is.
"""

from django.conf import settings

NO_STORE = "no-store, no-cache, must-revalidate, private, max-age=0"


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return response
        # Set, not merged: nothing Django answers here may be cached, whatever a view said.
        response["Cache-Control"] = NO_STORE
        response["Pragma"] = "no-cache"
        return response
