#!/usr/bin/env bash
# Starts / stops a real local Kubernetes control plane (etcd + kube-apiserver, no
# controller-manager, scheduler or kubelet) bound to 127.0.0.1 on free random ports.
#
#   hack/local-cluster.sh up <statedir>      start, wait for /readyz, write <statedir>/admin.kubeconfig
#   hack/local-cluster.sh down <statedir>    stop everything started by `up` (safe to call twice)
#   hack/local-cluster.sh status <statedir>  exit 0 if both processes are alive and /readyz is ok
#
# `up` registers nothing global: the caller arranges `down` (e.g. trap '... down "$d"' EXIT).
#
# Binaries: $ETCD, $KUBE_APISERVER if set, else ${SMEFLOW_TOOLS_DIR:-$HOME/.cache/smeflow-tools}/bin
# (run hack/tools.sh first), else PATH.
# Other env: SMEFLOW_CLUSTER_TIMEOUT (seconds to wait for readiness, default 90),
#            SMEFLOW_APISERVER_ARGS (extra kube-apiserver flags, space separated).
#
# Files written to <statedir>:
#   admin.kubeconfig  cluster-admin (client cert CN=smeflow-admin, O=system:masters)
#   admin.token       static bearer token of user smeflow-admin in group system:masters
#   cluster.env       KUBECONFIG, APISERVER_URL, APISERVER_PORT, ETCD_URL, ADMIN_TOKEN, CA_FILE, SA_ISSUER
#   pki/              ca.{crt,key}, apiserver.{crt,key}, admin.{crt,key}, sa.{key,pub}, tokens.csv
#   etcd/             etcd data dir
#   etcd.log, kube-apiserver.log, pids
set -euo pipefail

SA_ISSUER="https://kubernetes.default.svc.cluster.local"
ADMIN_USER="smeflow-admin"

log() { echo "[local-cluster] $*" >&2; }
die() { echo "[local-cluster] ERROR: $*" >&2; exit 1; }

usage() { echo "usage: $0 up|down|status <statedir>" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
CMD="$1"
STATE="$2"

find_bin() { # name envvar
  local name="$1" override="${!2:-}" tools="${SMEFLOW_TOOLS_DIR:-$HOME/.cache/smeflow-tools}/bin"
  if [[ -n "$override" ]]; then echo "$override"; return; fi
  if [[ -x "$tools/$name" ]]; then echo "$tools/$name"; return; fi
  command -v "$name" || die "$name not found: run hack/tools.sh (or set $2)"
}

# pid is alive and still the process we started (guards against pid reuse)
alive() { # pid name
  [[ -n "$1" && -r "/proc/$1/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$1/cmdline" | grep -q -- "$2"
}

free_ports() { # n -> n free tcp ports on 127.0.0.1
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

stop_cluster() {
  local pidfile="$STATE/pids" name pid
  [[ -f "$pidfile" ]] || return 0
  # stop the apiserver before etcd
  for name in kube-apiserver etcd; do
    pid="$(awk -v n="$name" '$1 == n {print $2}' "$pidfile")"
    if alive "$pid" "$name"; then
      # each process was started as its own session/process group: signal the group
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do
        alive "$pid" "$name" || break
        sleep 0.1
      done
      if alive "$pid" "$name"; then
        log "$name ($pid) did not stop in 10s, killing"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        sleep 0.2
      fi
    fi
  done
  rm -f "$pidfile"
}

fail_up() {
  local f
  echo "[local-cluster] ERROR: $*" >&2
  for f in etcd kube-apiserver; do
    if [[ -f "$STATE/$f.log" ]]; then
      echo "----- last lines of $STATE/$f.log -----" >&2
      tail -n 30 "$STATE/$f.log" >&2
    fi
  done
  stop_cluster
  exit 1
}

gen_pki() {
  local p="$STATE/pki"
  mkdir -p "$p"
  (
    set -e
    cd "$p"
    umask 077
    openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
    openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=smeflow-local-ca" -out ca.crt 2>/dev/null

    openssl ecparam -name prime256v1 -genkey -noout -out apiserver.key 2>/dev/null
    openssl req -new -key apiserver.key -subj "/CN=kube-apiserver" -out apiserver.csr 2>/dev/null
    printf '%s\n' \
      "subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
      "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature,keyEncipherment" > apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
      -extfile apiserver.ext -out apiserver.crt 2>/dev/null

    openssl ecparam -name prime256v1 -genkey -noout -out admin.key 2>/dev/null
    openssl req -new -key admin.key -subj "/O=system:masters/CN=$ADMIN_USER" -out admin.csr 2>/dev/null
    printf '%s\n' "extendedKeyUsage=clientAuth" "keyUsage=critical,digitalSignature,keyEncipherment" > admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
      -extfile admin.ext -out admin.crt 2>/dev/null

    # service-account token signing key pair
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key 2>/dev/null
    openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null

    # static token for the admin (token,user,uid,"group1,group2")
    python3 -c 'import secrets; print(secrets.token_hex(24))' > ../admin.token
    echo "$(cat ../admin.token),$ADMIN_USER,$ADMIN_USER,\"system:masters\"" > tokens.csv
    rm -f ./*.csr ./*.ext ./*.srl
  )
}

write_kubeconfig() { # url
  local p="$STATE/pki" b64='base64 -w0'
  umask 077
  cat > "$STATE/admin.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: $1
    certificate-authority-data: $($b64 < "$p/ca.crt")
users:
- name: $ADMIN_USER
  user:
    client-certificate-data: $($b64 < "$p/admin.crt")
    client-key-data: $($b64 < "$p/admin.key")
contexts:
- name: local
  context:
    cluster: local
    user: $ADMIN_USER
    namespace: default
current-context: local
EOF
}

up() {
  local etcd apiserver t0=$SECONDS timeout="${SMEFLOW_CLUSTER_TIMEOUT:-90}"
  etcd="$(find_bin etcd ETCD)"
  apiserver="$(find_bin kube-apiserver KUBE_APISERVER)"
  command -v openssl >/dev/null || die "openssl not found"
  command -v curl >/dev/null || die "curl not found"
  command -v python3 >/dev/null || die "python3 not found"

  mkdir -p "$STATE"
  STATE="$(cd "$STATE" && pwd)"
  if [[ -f "$STATE/pids" ]]; then
    log "found $STATE/pids from an earlier run, stopping it first"
    stop_cluster
  fi
  rm -rf "$STATE/etcd" "$STATE/pki" "$STATE"/*.log "$STATE/admin.kubeconfig" "$STATE/cluster.env"
  gen_pki

  local etcd_port peer_port api_port
  read -r etcd_port peer_port api_port <<<"$(free_ports 3)"
  local etcd_url="http://127.0.0.1:$etcd_port" api_url="https://127.0.0.1:$api_port"

  # setsid: own session + process group, so `down` can signal the whole group and the
  # processes survive the caller's terminal; stdin from /dev/null.
  setsid "$etcd" \
    --name smeflow-local \
    --data-dir "$STATE/etcd" \
    --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "smeflow-local=http://127.0.0.1:$peer_port" \
    --unsafe-no-fsync \
    --log-level warn \
    </dev/null >"$STATE/etcd.log" 2>&1 &
  echo "etcd $!" > "$STATE/pids"
  local etcd_pid=$!

  local ok=0
  for _ in $(seq 1 $((timeout * 5))); do
    alive "$etcd_pid" etcd || fail_up "etcd exited"
    if curl -fsS -m 2 "$etcd_url/health" 2>/dev/null | grep -q '"health":"true"'; then ok=1; break; fi
    sleep 0.2
  done
  ((ok)) || fail_up "etcd not healthy after ${timeout}s"

  local p="$STATE/pki"
  # shellcheck disable=SC2086
  setsid "$apiserver" \
    --etcd-servers="$etcd_url" \
    --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 \
    --secure-port="$api_port" \
    --cert-dir="$p" \
    --tls-cert-file="$p/apiserver.crt" --tls-private-key-file="$p/apiserver.key" \
    --client-ca-file="$p/ca.crt" \
    --token-auth-file="$p/tokens.csv" \
    --service-account-key-file="$p/sa.pub" \
    --service-account-signing-key-file="$p/sa.key" \
    --service-account-issuer="$SA_ISSUER" \
    --authorization-mode=RBAC \
    --service-cluster-ip-range=10.0.0.0/24 \
    --endpoint-reconciler-type=none \
    --profiling=false \
    ${SMEFLOW_APISERVER_ARGS:-} \
    </dev/null >"$STATE/kube-apiserver.log" 2>&1 &
  local api_pid=$!
  echo "kube-apiserver $api_pid" >> "$STATE/pids"

  write_kubeconfig "$api_url"
  cat > "$STATE/cluster.env" <<EOF
KUBECONFIG=$STATE/admin.kubeconfig
APISERVER_URL=$api_url
APISERVER_PORT=$api_port
ETCD_URL=$etcd_url
ADMIN_TOKEN=$(cat "$STATE/admin.token")
CA_FILE=$p/ca.crt
SA_ISSUER=$SA_ISSUER
EOF

  ok=0
  local deadline=$((SECONDS + timeout)) out=""
  while ((SECONDS < deadline)); do
    alive "$api_pid" kube-apiserver || fail_up "kube-apiserver exited"
    out="$(curl -sS -m 3 --cacert "$p/ca.crt" --cert "$p/admin.crt" --key "$p/admin.key" \
      "$api_url/readyz" 2>&1 || true)"
    if [[ "$out" == ok ]]; then ok=1; break; fi
    sleep 0.25
  done
  ((ok)) || fail_up "kube-apiserver not ready after ${timeout}s (last /readyz: ${out:0:300})"
  log "ready in $((SECONDS - t0))s: $api_url (etcd $etcd_url); export KUBECONFIG=$STATE/admin.kubeconfig"
}

status() {
  [[ -f "$STATE/pids" && -f "$STATE/cluster.env" ]] || { log "not running"; return 1; }
  local name pid
  for name in etcd kube-apiserver; do
    pid="$(awk -v n="$name" '$1 == n {print $2}' "$STATE/pids")"
    alive "$pid" "$name" || { log "$name not running"; return 1; }
  done
  local url; url="$(sed -n 's/^APISERVER_URL=//p' "$STATE/cluster.env")"
  [[ "$(curl -sS -m 3 --cacert "$STATE/pki/ca.crt" --cert "$STATE/pki/admin.crt" \
    --key "$STATE/pki/admin.key" "$url/readyz" 2>/dev/null)" == ok ]] || { log "not ready"; return 1; }
  log "running: $url"
}

case "$CMD" in
  up) up ;;
  down)
    [[ -d "$STATE" ]] || exit 0
    stop_cluster
    ;;
  status) status ;;
  *) usage ;;
esac
