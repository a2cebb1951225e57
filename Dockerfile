FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev libpango-1.0-0 libpangoft2-1.0-0 \
      fonts-dejavu-core fonts-liberation2 gettext postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 bwise
WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY --chown=bwise:bwise . .
RUN mkdir -p /app/var /data/private && chown -R bwise:bwise /app/var /data
USER bwise
# The settings import without DATABASE_URL and SECRET_KEY; only starting the app needs them.
RUN python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "bwise.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
