# Production image: gunicorn serving the HMIS; the same image runs the Celery
# worker and beat (see docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
RUN mkdir -p static/vendor/uswds static/vendor/htmx \
 && cp -r node_modules/@uswds/uswds/dist/css node_modules/@uswds/uswds/dist/fonts \
          node_modules/@uswds/uswds/dist/img node_modules/@uswds/uswds/dist/js static/vendor/uswds/ \
 && cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/

FROM python:3.11-slim-bookworm
# postgresql-client: pg_dump/pg_restore for manage.py backup/restore. Bookworm's is 15, the
# major of docker-compose's postgres:15 (pg_dump must be the server's major or newer).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HMIS_VAR_DIR=/var/lib/hmis
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      wamerican fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /app hmis && mkdir -p /var/lib/hmis && chown hmis /var/lib/hmis
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir .
COPY --from=assets /build/static/vendor static/vendor
# The app's files are its own user's only (umask 077 in hmis/settings.py): what the
# build writes under /var/lib/hmis (static files, the documents folder) is handed to it.
RUN SECRET_KEY=build-only PII_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput --verbosity 0 \
 && chown -R hmis /var/lib/hmis
USER hmis
EXPOSE 8000
CMD ["gunicorn", "hmis.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
