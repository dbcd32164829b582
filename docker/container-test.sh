#!/usr/bin/env bash
# make container-test: build the service image and the nginx gateway image for real, run both, POST the sample
# article through the gateway, check the JSON, and stop everything this script started.
#
# Works without any container registry: the base image is made here from Debian packages (debootstrap bookworm
# with python3.11, then `docker import`), and the CPU torch wheel comes from this machine's pip configuration
# into the build through a wheels image mounted at build time (it never enters the service image's layers).
# Installs Debian's docker.io and debootstrap when missing, and starts dockerd (niced) only when no engine
# answers; a dockerd it started is stopped again at the end, by its PID.
#
# Settings (environment): DEBIAN_MIRROR, CA_BUNDLE (trusted by pip inside the build; default: the system
# bundle), SAMPLE_ARTICLE, DOCKER_DATA_ROOT, READY_TIMEOUT (seconds), REBUILD_BASE=1 (debootstrap again).
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
CA_BUNDLE=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
SAMPLE_ARTICLE=${SAMPLE_ARTICLE:-../shared/data/samples/helsinki-2018-07.txt}
DOCKER_DATA_ROOT=${DOCKER_DATA_ROOT:-/var/lib/docker}
READY_TIMEOUT=${READY_TIMEOUT:-300}
# The torch build the lock pins (the image installs it from the lock, checked against the hash there).
TORCH_REQUIREMENT=$(grep -o '^torch==[^ ]*' requirements.lock)
PY=${PY:-.venv/bin/python}

BASE_IMAGE=nl-news-actors-base:bookworm
WHEELS_IMAGE=nl-news-actors-torch-wheels:container-test
SERVICE_IMAGE=nl-news-actors:container-test
GATEWAY_IMAGE=nl-news-actors-gateway:container-test
RUN_ID=ct-$$
NETWORK=$RUN_ID
SERVICE_CONTAINER=$RUN_ID-service
GATEWAY_CONTAINER=$RUN_ID-gateway
WORK_DIR=$(mktemp -d /var/tmp/container-test.XXXXXX)
ARTIFACTS=test-artifacts/container-test
RESULTS=$ARTIFACTS/results.json
DOCKERD_PID=""
DOCKER=docker
export DOCKER_BUILDKIT=1

log() { printf '[container-test %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() {
    log "FAILED: $*"
    exit 1
}
now() { date +%s.%N; }
seconds_since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

cleanup() {
    local status=$?
    if [ -n "$DOCKERD_PID" ] || "$DOCKER" info >/dev/null 2>&1; then
        for container in "$SERVICE_CONTAINER" "$GATEWAY_CONTAINER"; do
            "$DOCKER" container inspect "$container" >/dev/null 2>&1 || continue
            [ "$status" -eq 0 ] || "$DOCKER" logs --tail 40 "$container" 2>&1 | sed "s/^/[$container] /" >&2
            "$DOCKER" rm --force "$container" >/dev/null
        done
        "$DOCKER" network rm "$NETWORK" >/dev/null 2>&1 || true
    fi
    if [ -n "$DOCKERD_PID" ]; then
        log "stopping the dockerd this run started (pid $DOCKERD_PID)"
        kill -TERM "$DOCKERD_PID" 2>/dev/null || true
        for _ in $(seq 60); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 1; done
    fi
    # An interrupted debootstrap can leave /proc and /sys mounted in the rootfs: unmount before removing it.
    umount --lazy "$WORK_DIR/rootfs/proc" "$WORK_DIR/rootfs/sys" 2>/dev/null || true
    rm -rf "$WORK_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_inputs() {
    [ -f models/ner-nl-compact/model.pt ] ||
        fail "models/ner-nl-compact/model.pt is missing: the image bakes the default NER model (see README Models)"
    [ -f models/stance-nl-compact/metadata.json ] ||
        fail "models/stance-nl-compact/ is missing or incomplete: the image bakes the stance model"
    [ -f "$SAMPLE_ARTICLE" ] || fail "sample article $SAMPLE_ARTICLE not found (../shared beside the checkout)"
    [ -x "$PY" ] || fail "$PY not found: run 'make install-dev' first"
    [ -s "$CA_BUNDLE" ] || fail "CA bundle $CA_BUNDLE not found: set CA_BUNDLE to the bundle pip should trust"
}

install_missing_packages() {
    local missing=()
    command -v dockerd >/dev/null || missing+=(docker.io)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    [ ${#missing[@]} -eq 0 ] && return
    [ "$(id -u)" -eq 0 ] || fail "needs root to install ${missing[*]}"
    log "installing ${missing[*]} from Debian"
    nice -n 19 apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive nice -n 19 apt-get -o DPkg::Lock::Timeout=600 \
        install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Debian's docker CLI builds with the engine's own BuildKit; a newer CLI needs the buildx plugin for that.
choose_docker_cli() {
    if docker buildx version >/dev/null 2>&1; then
        DOCKER=docker
    elif [ -x /usr/bin/docker ]; then
        DOCKER=/usr/bin/docker
    else
        fail "no docker CLI that can build with BuildKit (install docker.io or the buildx plugin)"
    fi
}

start_engine_if_needed() {
    if "$DOCKER" info >/dev/null 2>&1; then
        log "using the running Docker engine"
        return
    fi
    [ "$(id -u)" -eq 0 ] || fail "no Docker engine answers and starting one needs root"
    log "starting dockerd (nice 19, data root $DOCKER_DATA_ROOT)"
    nice -n 19 dockerd --data-root "$DOCKER_DATA_ROOT" >"$ARTIFACTS/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    for _ in $(seq 60); do
        "$DOCKER" info >/dev/null 2>&1 && return
        kill -0 "$DOCKERD_PID" 2>/dev/null || { tail -20 "$ARTIFACTS/dockerd.log" >&2; fail "dockerd exited"; }
        sleep 1
    done
    fail "dockerd did not answer within 60 s (log: $ARTIFACTS/dockerd.log)"
}

# A python:3.11-slim-bookworm stand-in made from Debian packages: bookworm's python3 is 3.11.
build_base_image() {
    BASE_BUILD_S=0
    if [ "${REBUILD_BASE:-0}" != 1 ] && "$DOCKER" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        log "base image $BASE_IMAGE already built; REBUILD_BASE=1 makes it again"
        return
    fi
    local rootfs=$WORK_DIR/rootfs start
    start=$(now)
    log "debootstrap bookworm (python3, venv, ca-certificates) from $DEBIAN_MIRROR"
    nice -n 19 debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        bookworm "$rootfs" "$DEBIAN_MIRROR" >"$ARTIFACTS/debootstrap.log" 2>&1 ||
        { tail -20 "$ARTIFACTS/debootstrap.log" >&2; fail "debootstrap failed"; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/*
    tar -C "$rootfs" --numeric-owner -c . |
        "$DOCKER" import --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' - "$BASE_IMAGE" >/dev/null
    rm -rf "$rootfs"
    BASE_BUILD_S=$(seconds_since "$start")
    log "base image $BASE_IMAGE made in ${BASE_BUILD_S}s"
}

# The CPU torch wheel as this machine's pip finds it, in a scratch image the Dockerfile mounts at build time.
build_wheels_image() {
    local wheels=$WORK_DIR/wheels
    mkdir -p "$wheels"
    nice -n 19 "$PY" -m pip download --quiet --no-deps --only-binary=:all: --dest "$wheels" "$TORCH_REQUIREMENT" ||
        fail "pip cannot find $TORCH_REQUIREMENT (configure pip's --find-links or the PyTorch CPU index)"
    printf 'FROM scratch\nCOPY *.whl /\n' >"$wheels/Dockerfile"
    "$DOCKER" build --quiet --tag "$WHEELS_IMAGE" "$wheels" >/dev/null
}

build_images() {
    local start
    start=$(now)
    "$DOCKER" build --progress=plain --tag "$GATEWAY_IMAGE" --build-arg BASE_IMAGE="$BASE_IMAGE" deploy/nginx \
        >"$ARTIFACTS/gateway-build.log" 2>&1 || { tail -30 "$ARTIFACTS/gateway-build.log" >&2; fail "gateway build"; }
    GATEWAY_BUILD_S=$(seconds_since "$start")
    start=$(now)
    "$DOCKER" build --progress=plain --tag "$SERVICE_IMAGE" \
        --build-arg BASE_IMAGE="$BASE_IMAGE" \
        --build-arg TORCH_WHEELS="$WHEELS_IMAGE" \
        --build-arg TORCH_PIP_ARGS="--find-links /tmp/torch-wheels" \
        ${PIP_INDEX_URL:+--build-arg PIP_INDEX_URL="$PIP_INDEX_URL"} \
        --secret id=ca_bundle,src="$CA_BUNDLE" \
        . >"$ARTIFACTS/service-build.log" 2>&1 || { tail -40 "$ARTIFACTS/service-build.log" >&2; fail "service build"; }
    SERVICE_BUILD_S=$(seconds_since "$start")
    grep -h 'baked NER_MODEL' "$ARTIFACTS/service-build.log" | sed 's/^#[0-9]* [0-9.]* //' >&2 || true
    log "built gateway in ${GATEWAY_BUILD_S}s and service in ${SERVICE_BUILD_S}s"
}

published_port() { "$DOCKER" port "$1" "$2" | head -1 | sed 's/.*://'; }

wait_for_ok() {
    local url=$1 deadline=$((SECONDS + READY_TIMEOUT))
    until "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || fail "$url not ready within ${READY_TIMEOUT}s"
        sleep 0.5
    done
}

run_containers() {
    "$DOCKER" network create "$NETWORK" >/dev/null
    local start
    start=$(now)
    "$DOCKER" run --detach --name "$SERVICE_CONTAINER" --network "$NETWORK" --network-alias service \
        --publish 127.0.0.1::8000 --read-only --tmpfs /tmp --env FORWARDED_ALLOW_IPS='*' "$SERVICE_IMAGE" >/dev/null
    wait_for_ok "http://127.0.0.1:$(published_port "$SERVICE_CONTAINER" 8000)/readyz"
    COLD_START_S=$(seconds_since "$start")
    log "service ready (GET /readyz 200) ${COLD_START_S}s after docker run"
    "$DOCKER" run --detach --name "$GATEWAY_CONTAINER" --network "$NETWORK" \
        --publish 127.0.0.1::8080 "$GATEWAY_IMAGE" >/dev/null
    GATEWAY_URL="http://127.0.0.1:$(published_port "$GATEWAY_CONTAINER" 8080)/nl-news-actors"
    wait_for_ok "$GATEWAY_URL/healthz"
}

check_non_root() {
    local uid
    uid=$("$DOCKER" exec "$SERVICE_CONTAINER" id -u)
    [ "$uid" != 0 ] || fail "the service runs as root"
    log "service runs as uid $uid"
}

report() {
    local image_bytes memory
    image_bytes=$("$DOCKER" image inspect --format '{{.Size}}' "$SERVICE_IMAGE")
    memory=$("$DOCKER" stats --no-stream --format '{{.MemUsage}}' "$SERVICE_CONTAINER")
    cat >"$RESULTS" <<EOF
{
  "service_image_bytes": $image_bytes,
  "base_image_s": $BASE_BUILD_S,
  "gateway_build_s": $GATEWAY_BUILD_S,
  "service_build_s": $SERVICE_BUILD_S,
  "cold_start_to_ready_s": $COLD_START_S,
  "service_memory_after_analysis": "$memory",
  "total_s": $(seconds_since "$TEST_START")
}
EOF
    log "image $SERVICE_IMAGE: $((image_bytes / 1000000)) MB; service memory after one analysis: $memory"
    log "results in $RESULTS: $(tr -d '\n' <"$RESULTS")"
}

main() {
    TEST_START=$(now)
    mkdir -p "$ARTIFACTS"
    require_inputs
    install_missing_packages
    choose_docker_cli
    start_engine_if_needed
    build_base_image
    build_wheels_image
    build_images
    run_containers
    check_non_root
    "$PY" docker/check_gateway.py --url "$GATEWAY_URL" --sample "$SAMPLE_ARTICLE"
    report
    log "passed"
}

main "$@"
