import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hmis.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse here, with a plain message, to serve a database
# written with another PII_KEY (hmis/keys.py).
from hmis.keys import refuse_to_start  # noqa: E402

refuse_to_start()
