# nl-news-actors: the REST service with its compact models baked in. Build, run and deploy: README "Deployment".
#
# Build arguments (all optional):
#   BASE_IMAGE      a Debian-based image with python3.11 and the venv module (default python:3.11-slim-bookworm)
#   TORCH_PIP_ARGS  where pip finds the CPU torch wheel that requirements.lock pins (torch==2.13.0+cpu, by hash)
#                   besides the package index (default: PyTorch's CPU index)
#   TORCH_WHEELS    an image whose root holds torch wheels, mounted at /tmp/torch-wheels during the install only
#                   (for machines without the CPU index: pair it with TORCH_PIP_ARGS="--find-links
#                   /tmp/torch-wheels"; make container-test does this)
#   NER_MODEL       a local path inside the image or a model-hub id (flair/ner-dutch) fetched now, never at run time
#   PIP_INDEX_URL   a PyPI mirror, if you use one
# Build secret (optional): `--secret id=ca_bundle,src=/etc/ssl/certs/ca-certificates.crt` makes pip and the hub
# download trust that bundle (a full bundle: it replaces the default one), e.g. behind a TLS-intercepting proxy.

ARG BASE_IMAGE=python:3.11-slim-bookworm
ARG TORCH_WHEELS=no-torch-wheels

FROM scratch AS no-torch-wheels

FROM ${TORCH_WHEELS} AS torch-wheels

FROM ${BASE_IMAGE} AS builder
ARG TORCH_PIP_ARGS="--extra-index-url https://download.pytorch.org/whl/cpu"
ARG PIP_INDEX_URL
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
# The whole runtime set from the lock: every package pinned and checked against its hash, nothing resolved here
# (--no-deps). torch is the +cpu build, which only the CPU source has, so no CUDA build can be pulled.
# hadolint ignore=SC2086
RUN --mount=type=secret,id=ca_bundle \
    --mount=type=bind,from=torch-wheels,target=/tmp/torch-wheels \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
    && /opt/venv/bin/pip install --require-hashes --no-deps ${TORCH_PIP_ARGS} -r /tmp/requirements.lock \
    && /opt/venv/bin/python -c "import sys, torch; sys.exit(torch.version.cuda and 'CUDA torch: use a CPU wheel')" \
    && find /opt/venv -name '*.a' -delete
# Packages a serving process never imports (the file says which and why), then headers, C++ test binaries and test
# suites that it never loads (~200 MB).
COPY docker/not-served.txt /tmp/not-served.txt
RUN /opt/venv/bin/pip uninstall --yes --quiet -r /tmp/not-served.txt
WORKDIR /opt/venv/lib/python3.11/site-packages
RUN rm -rf torch/include torch/test torch/bin/*Test torch/bin/test_* torch/bin/protoc* \
    && find . -mindepth 2 -type d -name tests -prune -exec rm -rf {} +

FROM ${BASE_IMAGE} AS runtime
ARG NER_MODEL=/app/models/ner-nl-compact/model.pt
# HF_HUB_OFFLINE: a running container never downloads; a hub model is fetched into FLAIR_CACHE_ROOT at build time.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    FLAIR_CACHE_ROOT=/app/.flair \
    NER_MODEL=${NER_MODEL} \
    STANCE_MODEL=/app/models/stance-nl-compact \
    HOST=0.0.0.0 \
    PORT=8000 \
    WEB_CONCURRENCY=1 \
    TORCH_THREADS=1
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY gunicorn.conf.py ./
COPY schemas/ schemas/
COPY service/ service/
COPY models/ models/
COPY docker/bake_model.py docker/healthcheck.py docker/
RUN --mount=type=secret,id=ca_bundle python3 -m compileall -q service schemas && python3 docker/bake_model.py
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 CMD ["python3", "docker/healthcheck.py"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"]
