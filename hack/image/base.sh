#!/usr/bin/env bash
# Builds the base layer of the operator image from Debian packages alone (no registry, no
# container engine): debootstrap minbase + openjdk-17-jre-headless, security updates applied,
# a non-root user 185, docs/caches stripped, packed as one uncompressed layer tarball.
#
#   hack/image/base.sh OUTDIR
#
# Writes OUTDIR/layer.tar, OUTDIR/layer.sha256 (the layer's diff_id, hex) and OUTDIR/base.env
# (JAVA_HOME, JAVA_VERSION, DEBIAN_VERSION, ...), plus OUTDIR/packages.txt. Called by
# hack/image.sh, which caches OUTDIR keyed by this file's hash; edit this file and the next
# `make image` rebuilds the base. Needs root (debootstrap, chroot) and Debian's mirrors.
#
# Environment:
#   IMAGE_DEBIAN_MIRROR           default: the debian mirror in /etc/apt/sources*, else deb.debian.org
#   IMAGE_DEBIAN_SECURITY_MIRROR  default: the debian-security mirror there, else deb.debian.org
set -euo pipefail

OUT="${1:?usage: $0 OUTDIR}"
SUITE=bookworm
PACKAGES=openjdk-17-jre-headless
APP_UID=185

log() { echo "[image/base] $*" >&2; }
die() { echo "[image/base] ERROR: $*" >&2; exit 1; }

[[ "$(id -u)" == 0 ]] || die "needs root (debootstrap and chroot); run as root"

# The mirror apt already uses on this machine (deb822 .sources or one-line sources.list).
host_mirror() { # $1 = path suffix to match: /debian or /debian-security
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r "$f" ]] || continue
    # shellcheck disable=SC2013  # URIs are whitespace-separated words
    for uri in $(awk '/^URIs:/{for (i = 2; i <= NF; i++) print $i}' "$f"); do
      [[ "$uri" == *"$1" || "$uri" == *"$1/" ]] && { echo "${uri%/}"; return; }
    done
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r "$f" ]] || continue
    uri="$(awk -v s="$1" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { u = $i; sub(/\/$/, "", u); if (u ~ s "$") { print u; exit } } }' "$f")"
    [[ -n "$uri" ]] && { echo "$uri"; return; }
  done
}
MIRROR="${IMAGE_DEBIAN_MIRROR:-$(host_mirror /debian)}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SEC_MIRROR="${IMAGE_DEBIAN_SECURITY_MIRROR:-$(host_mirror /debian-security)}"
SEC_MIRROR="${SEC_MIRROR:-http://deb.debian.org/debian-security}"

if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null 2>&1 || {
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
  }
fi

mkdir -p "$OUT"
ROOT="$OUT/rootfs"
rm -rf "$ROOT"
trap 'rm -rf "$ROOT"' EXIT

# Runs a command inside the rootfs with its own /proc (the JVM's launcher finds libjli.so
# through /proc/self/exe) in a private mount namespace, so nothing leaks onto the host.
in_root() { unshare --mount --pid --fork --mount-proc="$ROOT/proc" chroot "$ROOT" "$@"; }

log "debootstrap $SUITE (minbase + $PACKAGES) from $MIRROR"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOT" "$MIRROR" > "$OUT/debootstrap.log" 2>&1 \
  || { tail -20 "$OUT/debootstrap.log" >&2; die "debootstrap failed (log: $OUT/debootstrap.log)"; }

log "applying $SUITE-updates and $SUITE-security"
cat > "$ROOT/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SEC_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
rm -f "$ROOT/etc/apt/sources.list"
# shellcheck disable=SC2015  # either step failing is the same error
in_root env DEBIAN_FRONTEND=noninteractive apt-get update -q > "$OUT/upgrade.log" 2>&1 \
  && in_root env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Options::=--force-confold upgrade >> "$OUT/upgrade.log" 2>&1 \
  || { tail -20 "$OUT/upgrade.log" >&2; die "apt-get upgrade in the rootfs failed (log: $OUT/upgrade.log)"; }

log "user $APP_UID, cleanup"
in_root groupadd --system --gid "$APP_UID" app
in_root useradd --system --uid "$APP_UID" --gid "$APP_UID" --home-dir /deployments --no-create-home \
  --shell /usr/sbin/nologin --comment "smeflow-secrets-operator" app

JAVA_HOME="$(in_root readlink -f /usr/bin/java)"; JAVA_HOME="${JAVA_HOME%/bin/java}"
JAVA_VERSION="$(in_root /usr/bin/java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/{print $2}')"
[[ -n "$JAVA_VERSION" ]] || die "java does not run in the rootfs"
DEBIAN_VERSION="$(cat "$ROOT/etc/debian_version")"
# shellcheck disable=SC2016  # dpkg-query's own format fields
in_root dpkg-query -W -f '${binary:Package} ${Version}\n' > "$OUT/packages.txt"

# Nothing the JVM reads: package caches and lists, docs, man pages, translations, logs. The
# host's resolv.conf/hostname that debootstrap copied in are emptied (the runtime mounts its own).
rm -rf "$ROOT"/var/cache/apt/* "$ROOT"/var/lib/apt/lists/* \
  "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* \
  "$ROOT"/usr/share/locale/* "$ROOT"/usr/share/lintian "$ROOT"/usr/share/bug \
  "$ROOT"/var/cache/debconf/*-old "$ROOT"/var/lib/dpkg/*-old "$ROOT"/var/cache/ldconfig/aux-cache
find "$ROOT/var/log" -type f -delete
: > "$ROOT/etc/resolv.conf"
: > "$ROOT/etc/hostname"
# Keep future apt-get installs (derived images) from bringing docs back.
cat > "$ROOT/etc/dpkg/dpkg.cfg.d/excludes" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF

log "packing the layer"
# /dev, /proc, /sys and /tmp are left empty: the container runtime mounts them.
tar -C "$ROOT" --sort=name --numeric-owner --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' --exclude='./tmp/*' \
  -cf "$OUT/layer.tar" .
sha256sum "$OUT/layer.tar" | cut -d' ' -f1 > "$OUT/layer.sha256"

cat > "$OUT/base.env" <<EOF
BASE_SUITE=$SUITE
BASE_PACKAGES=$PACKAGES
BASE_UID=$APP_UID
DEBIAN_VERSION=$DEBIAN_VERSION
JAVA_HOME=$JAVA_HOME
JAVA_VERSION=$JAVA_VERSION
BASE_BUILT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF
log "done: $(du -h "$OUT/layer.tar" | cut -f1), Debian $DEBIAN_VERSION, Java $JAVA_VERSION"
