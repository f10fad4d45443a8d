#!/usr/bin/env bash
# Builds the operator's container image as a tarball, with no container engine and no registry:
# the base comes from Debian packages (hack/image/base.sh: debootstrap + openjdk-17-jre-headless),
# the application is the Quarkus fast-jar from `mvn package`, and hack/image/assemble.py writes
# the layers, the image config and both manifests.
#
#   hack/image.sh                 build target/<artifact>-<version>.tar  (what `make image` runs)
#   hack/image.sh --smoke         ... then run the image's filesystem in namespaces (chroot as
#                                 uid 185, read-only root, private network): `java -version` and
#                                 an operator boot up to its first Kubernetes API call
#   hack/image.sh --smoke-only    smoke-test the existing tarball, build nothing
#   hack/image.sh --refresh-base  rebuild the cached base (picks up Debian security updates)
#
# The tarball is a docker-archive and an OCI image layout at once (what `docker save` writes
# since Docker 25), with uncompressed layers:
#   docker load -i target/smeflow-secrets-operator-0.1.0.tar     (also podman load -i)
#   kind load image-archive target/smeflow-secrets-operator-0.1.0.tar
#   ctr -n k8s.io images import target/smeflow-secrets-operator-0.1.0.tar
#   skopeo copy docker-archive:target/smeflow-secrets-operator-0.1.0.tar docker://REGISTRY/...
#
# Environment:
#   SMEFLOW_TOOLS_DIR     cache dir (default: $HOME/.cache/smeflow-tools); the base layer is kept in
#                         $SMEFLOW_TOOLS_DIR/image-base/<hash of hack/image/base.sh + arch>/
#   IMAGE_NAME            default smeflow/smeflow-secrets-operator (as in deploy/operator.yaml)
#   IMAGE_TAG             default: the pom version without -SNAPSHOT (0.1.0)
#   IMAGE_SKIP_BUILD=1    use target/quarkus-app as it is (no mvn package)
#   SOURCE_DATE_EPOCH     the image's creation time (default: HEAD's commit time); file times in
#                         the app layers are fixed, so unchanged dependencies give the same layer
#   MVN                   default: mvn -B
# Needs root for the base (debootstrap, chroot) and for --smoke; a warm run with a cached base
# needs only java/maven and python3.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT_DIR/hack/image"
TOOLS_DIR="${SMEFLOW_TOOLS_DIR:-$HOME/.cache/smeflow-tools}"
MVN="${MVN:-mvn -B}"
PYTHON="${PYTHON:-python3}"

BUILD=1
SMOKE=0
REFRESH_BASE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    --smoke-only) SMOKE=1; BUILD=0 ;;
    --refresh-base) REFRESH_BASE=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "usage: $0 [--smoke|--smoke-only] [--refresh-base]" >&2; exit 2 ;;
  esac
done

log() { echo "[image] $*" >&2; }
die() { echo "[image] ERROR: $*" >&2; exit 1; }
now() { date +%s; }

cd "$ROOT_DIR"
command -v "$PYTHON" >/dev/null || die "python3 is needed (PYTHON=$PYTHON)"

# artifactId and version of the project itself (not of the parent or a dependency)
read -r ARTIFACT VERSION < <("$PYTHON" - <<'EOF'
import xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
p = ET.parse("pom.xml").getroot()
print(p.findtext("m:artifactId", namespaces=ns), p.findtext("m:version", namespaces=ns))
EOF
)
IMAGE_NAME="${IMAGE_NAME:-smeflow/$ARTIFACT}"
IMAGE_TAG="${IMAGE_TAG:-${VERSION%-SNAPSHOT}}"
REF="$IMAGE_NAME:$IMAGE_TAG"
OUT="$ROOT_DIR/target/$ARTIFACT-$IMAGE_TAG.tar"
ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
case "$ARCH" in x86_64) ARCH=amd64 ;; aarch64) ARCH=arm64 ;; esac

# ---- base layer (cached) -------------------------------------------------------------------
build_base() {
  local key cache_root dir tmp t0
  key="$( { cat "$HERE/base.sh"; echo "$ARCH"; } | sha256sum | cut -c1-16)"
  cache_root="$TOOLS_DIR/image-base"
  dir="$cache_root/$key"
  mkdir -p "$cache_root"
  exec 9>"$cache_root/.lock"
  flock 9   # one base build at a time (two checkouts building at once share the cache)
  if [[ "$REFRESH_BASE" == 1 || ! -s "$dir/layer.sha256" || ! -s "$dir/layer.tar" || ! -s "$dir/base.env" ]]; then
    [[ "$(id -u)" == 0 ]] || die "the base image is not cached yet and building it needs root (debootstrap)"
    t0=$(now)
    tmp="$cache_root/.build-$key-$$"
    rm -rf "$tmp"
    "$HERE/base.sh" "$tmp"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    # keep only the current base: each is ~300 MB
    find "$cache_root" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name '.build-*' -exec rm -rf {} +
    log "base built in $(( $(now) - t0 ))s: $dir"
  else
    log "base cached: $dir ($(grep -E '^(DEBIAN_VERSION|JAVA_VERSION|BASE_BUILT)=' "$dir/base.env" | tr '\n' ' '))"
  fi
  exec 9>&-
  BASE_DIR="$dir"
}

# ---- smoke test: the image's filesystem, run as the image config says ----------------------
smoke() {
  [[ "$(id -u)" == 0 ]] || die "--smoke needs root (unshare, chroot)"
  [[ -f "$OUT" ]] || die "no image at $OUT"
  local rootfs layer log t0 rc=0
  eval "$("$PYTHON" "$HERE/assemble.py" runspec "$OUT")"
  rootfs="$(mktemp -d /tmp/smeflow-image-rootfs.XXXXXX)"
  log="$rootfs.log"
  # shellcheck disable=SC2064  # expand now: the names are local to this function
  trap "rm -rf '$rootfs' '$log'" EXIT
  for layer in "${IMG_LAYERS[@]}"; do
    tar -xOf "$OUT" "$layer" | tar -C "$rootfs" --numeric-owner -xpf -
  done

  # Private mount, pid and network namespaces; the root is mounted read-only (as
  # readOnlyRootFilesystem in deploy/operator.yaml) with a tmpfs /tmp, a minimal /dev and a fresh
  # /proc; only loopback networking. Then chroot as the image's user into its working dir.
  local runner
  runner="$(cat <<'EOF'
set -eu
R="$1"; shift
mount --bind "$R" "$R"; mount -o remount,bind,ro "$R"
mount -t proc proc "$R/proc"
mount -t tmpfs -o mode=1777,size=64m tmpfs "$R/tmp"
mount -t tmpfs -o mode=755,size=1m tmpfs "$R/dev"
for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
  IFS=: read -r n ma mi <<<"$d"; mknod -m 666 "$R/dev/$n" c "$ma" "$mi"
done
ln -s /proc/self/fd "$R/dev/fd"
mkdir "$R/dev/shm" && mount -t tmpfs -o mode=1777,size=16m tmpfs "$R/dev/shm"
ip link set lo up
exec chroot --userspec="$IMG_USER:$IMG_USER" "$R" /bin/sh -c 'cd "$0" && exec "$@"' "$IMG_WORKDIR" "$@"
EOF
)"
  in_image() { # TIMEOUT_SECONDS COMMAND...
    local limit="$1"; shift
    IMG_USER="$IMG_USER" IMG_WORKDIR="$IMG_WORKDIR" \
      timeout "$limit" unshare --mount --pid --net --fork --kill-child bash -c "$runner" runner "$rootfs" \
      env -i "${IMG_ENV[@]}" "$@"
  }

  log "smoke: java -version as uid $IMG_USER in the image's rootfs"
  in_image 60 java -version 2>&1 | sed 's/^/    /' >&2
  # shellcheck disable=SC2016  # expanded by the shell inside the image
  in_image 60 sh -c 'echo "uid $(id -u) gid $(id -g) in $(pwd);" && echo "root mount $(awk '\''$2 == "/" {print $4}'\'' /proc/self/mounts | cut -d, -f1)"' \
    | tr '\n' ' ' | sed 's/^/    /' >&2; echo >&2

  # The operator itself: prod profile, as deployed, pointed at an API server that is not there.
  # It must boot Quarkus and fail only on the Kubernetes connection.
  log "smoke: ${IMG_ENTRYPOINT[*]} (prod profile, no API server)"
  t0=$(now)
  set +e
  in_image 90 env \
    QUARKUS_PROFILE=prod POD_NAMESPACE=smeflow-system SMEFLOW_OPERATOR_NAMESPACE=smeflow-system \
    POD_IP=127.0.0.1 SMEFLOW_AUDIT_SOURCE_IP=127.0.0.1 JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=70.0 \
    KUBERNETES_MASTER=https://127.0.0.1:6443 KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0 \
    "${IMG_ENTRYPOINT[@]}" > "$log" 2>&1
  rc=$?
  set -e
  log "smoke: the operator exited with $rc after $(( $(now) - t0 ))s; its log:"
  "$PYTHON" "$HERE/bootcheck.py" "$log" >&2 || die "smoke: the operator did not boot as it should (see above)"
  log "smoke: OK (Quarkus booted; stopped at the Kubernetes API, as expected without a cluster)"
}

if [[ "$BUILD" == 1 ]]; then
  T_ALL=$(now)
  build_base
  T_BASE=$(( $(now) - T_ALL ))

  EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
  REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  if [[ "$REVISION" != unknown ]] && [[ -n "$(git --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    REVISION="$REVISION-dirty"
  fi
  T0=$(now)
  if [[ "${IMAGE_SKIP_BUILD:-0}" != 1 ]]; then
    # output-timestamp: the jars Quarkus writes get fixed entry times, so unchanged code gives
    # an unchanged app layer, even across commits (quarkus/generated-bytecode.jar still differs
    # from build to build). Same instant as FILE_MTIME in assemble.py.
    TS=1980-01-01T00:00:02Z
    log "$MVN package -DskipTests -Dspotless.check.skip=true -Dquarkus.package.output-timestamp=$TS"
    $MVN -q package -DskipTests -Dspotless.check.skip=true -Dquarkus.package.output-timestamp="$TS"
  fi
  [[ -f target/quarkus-app/quarkus-run.jar ]] || die "no target/quarkus-app/quarkus-run.jar (mvn package failed?)"
  T_MVN=$(( $(now) - T0 ))

  T0=$(now)
  "$PYTHON" "$HERE/assemble.py" build --base "$BASE_DIR" --app target/quarkus-app --out "$OUT" \
    --ref "$REF" --epoch "$EPOCH" --arch "$ARCH" \
    --entrypoint '["java","-XX:MaxRAMPercentage=70","-Djava.util.logging.manager=org.jboss.logmanager.LogManager","-jar","/deployments/quarkus-run.jar"]' \
    --label "org.opencontainers.image.title=$ARTIFACT" \
    --label "org.opencontainers.image.description=Syncs and rotates tenant secrets between Vault/OpenBao and Kubernetes" \
    --label "org.opencontainers.image.vendor=smeflow" \
    --label "org.opencontainers.image.version=$IMAGE_TAG" \
    --label "org.opencontainers.image.revision=$REVISION" \
    --label "org.opencontainers.image.ref.name=$REF" >&2
  "$PYTHON" "$HERE/assemble.py" verify "$OUT" --ref "$REF" >&2
  T_ASM=$(( $(now) - T0 ))
  log "built $REF -> ${OUT#"$ROOT_DIR"/} ($(du -h "$OUT" | cut -f1)) in $(( $(now) - T_ALL ))s (base ${T_BASE}s, maven ${T_MVN}s, assemble+verify ${T_ASM}s)"
fi

if [[ "$SMOKE" == 1 ]]; then
  smoke
fi
