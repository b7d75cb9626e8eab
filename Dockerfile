# One image for every part of the suite; docker-compose.yml picks the part by its command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Installed as a regular package (migrations and contract schemas ship as package data), and the
# source removed again, so nothing on the working directory can shadow what was installed.
COPY pyproject.toml README.md /src/
COPY sds /src/sds
COPY services /src/services
COPY gateway /src/gateway
COPY contracts /src/contracts
RUN pip install /src && rm -rf /src

RUN useradd --system --uid 10001 --user-group --home-dir /app --create-home --shell /usr/sbin/nologin sds
# The documenten service keeps its content here (a volume in docker-compose.yml), owned by the service user.
RUN mkdir -p /var/lib/sds/documenten && chown sds:sds /var/lib/sds/documenten
WORKDIR /app
USER sds

EXPOSE 8000
CMD ["uvicorn", "--factory", "gateway.app:create_app", "--host", "0.0.0.0", "--port", "8000"]
