#!/usr/bin/env bash
# `make run`: run smeflow-secrets-operator on this machine and watch it work.
#
# It picks one of three modes, and says which and why:
#
#   context        your current kube context answers (kubectl config current-context, then
#                  /readyz within 5 s): apply deploy/crds and run the operator locally against it.
#                  Samples and stand-in workloads only with SMEFLOW_APPLY_SAMPLES=1.
#   local-cluster  no reachable cluster, but the real tools are installed (`make tools`;
#                  hack/tools.sh --check): a throw-away etcd + kube-apiserver on 127.0.0.1
#                  (hack/local-cluster.sh), the samples applied with kubectl.
#   sandbox        no cluster and no tools: the Fabric8 mock API server (CRUD mode) on 127.0.0.1
#                  in a small JVM (src/test/java/.../sandbox/SandboxCluster.java), the samples
#                  applied with the Fabric8 client, and a variant of the operator jar built with
#                  profile sandbox-mock into target/sandbox-app (the mock has no server-side
#                  apply, and enable-ssa is fixed at build time).
#
# Vault: unless you name Vaults (below), one `bao server -dev` per region (NG, ZA, KE, EU) is
# started on 127.0.0.1 and a free port, and samples/vault-seed.sh writes each tenant's dummy
# values into the Vault of its own region only (acme -> KE, paylink -> NG, platform -> EU), the
# way production keeps one Vault per region. ZA's stays empty.
#
# The operator runs with profile `sandbox` (application.properties): no leader election,
# plain-text logs, token auth. Its log goes to $SMEFLOW_RUN_DIR/operator.log. Every few seconds
# the TenantSecrets, RotationPolicies, synced Secrets (key names only) and the rollout targets'
# restartedAt are printed. Ctrl-C stops everything this script started, and nothing else.
#
# Environment:
#   SMEFLOW_RUN_MODE            force a mode: context | local-cluster | sandbox (default: detect)
#   SMEFLOW_RUN_SECONDS         stop by itself this many seconds after the operator was started
#                               (default: run until Ctrl-C)
#   SMEFLOW_WATCH_INTERVAL      seconds between two status tables (default 5)
#   SMEFLOW_RUN_ROTATE_AFTER    this many seconds after the operator started, ask for the emergency
#                               rotation of samples/30-emergency-rotation.yaml (tenant-acme/
#                               jwt-signing-keys, a fresh rotate-now token), to see a rotation and
#                               the restart of smeflow-api it causes (not in context mode unless
#                               SMEFLOW_APPLY_SAMPLES=1)
#   SMEFLOW_RUN_DIR             state and logs (default target/run)
#   SMEFLOW_APPLY_SAMPLES=1     context mode: also apply samples/00..20 and hack/run/workloads.yaml
#                               to your cluster (never done otherwise)
#   SMEFLOW_VAULT_<R>_ADDRESS   use your Vault for region R (NG, ZA, KE, EU) instead of local dev
#                               servers; as soon as one is set no dev server is started, and a
#                               region without an address has no Vault (never another region's)
#   SMEFLOW_VAULT_<R>_TOKEN     token for region R; SMEFLOW_VAULT_TOKEN is used for regions
#                               without their own (written to a 0600 file, never on a command line)
#   SMEFLOW_VAULT_NAMESPACE     Vault Enterprise / OpenBao namespace for every region, if any
#   SMEFLOW_HASH_KEY            HMAC key for status.dataHash; default: the operator's own Secret in
#                               SMEFLOW_OPERATOR_NAMESPACE (context mode without that namespace: a
#                               key kept in $SMEFLOW_RUN_DIR/hmac.key)
#   SMEFLOW_OPERATOR_NAMESPACE  operator namespace (default smeflow-system)
#   SMEFLOW_JAVA_OPTS           extra JVM / -Dsmeflow.* options for the operator
#   SMEFLOW_REBUILD=1           rebuild the jar even when it looks up to date
#   SMEFLOW_TOOLS_DIR, BAO_BIN  tools (set by the Makefile; defaults as in hack/tools.sh)
#   MVN                         maven command (default: mvn -B)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TOOLS_DIR="${SMEFLOW_TOOLS_DIR:-$HOME/.cache/smeflow-tools}"
export SMEFLOW_TOOLS_DIR="$TOOLS_DIR"
BAO_BIN="${BAO_BIN:-$TOOLS_DIR/bin/bao}"
[[ -x "$BAO_BIN" ]] || BAO_BIN="$(command -v bao || true)"
export BAO_BIN
MVN="${MVN:-mvn -B}"
RUN_DIR="${SMEFLOW_RUN_DIR:-$ROOT/target/run}"
INTERVAL="${SMEFLOW_WATCH_INTERVAL:-5}"
RUN_SECONDS="${SMEFLOW_RUN_SECONDS:-}"
ROTATE_AFTER="${SMEFLOW_RUN_ROTATE_AFTER:-}"
OPERATOR_NS="${SMEFLOW_OPERATOR_NAMESPACE:-smeflow-system}"
REGIONS=(NG ZA KE EU)
T0=$SECONDS

say() { printf '\033[1m[run]\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m[run] WARNING:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[run] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$((SECONDS - T0))s"; }

[[ -z "$RUN_SECONDS" || "$RUN_SECONDS" =~ ^[0-9]+$ ]] || die "SMEFLOW_RUN_SECONDS must be a number of seconds"
[[ -z "$ROTATE_AFTER" || "$ROTATE_AFTER" =~ ^[0-9]+$ ]] || die "SMEFLOW_RUN_ROTATE_AFTER must be a number of seconds"
[[ "$INTERVAL" =~ ^[0-9]+$ && "$INTERVAL" -gt 0 ]] || die "SMEFLOW_WATCH_INTERVAL must be a positive number"
command -v python3 >/dev/null || die "python3 is needed (free ports)"
command -v curl >/dev/null || die "curl is needed"

mkdir -p "$RUN_DIR"
RUN_DIR="$(cd "$RUN_DIR" && pwd)"
PIDS="$RUN_DIR/pids"
# One run per state dir (the processes started below do not inherit the lock).
exec 9>"$RUN_DIR/.lock"
flock -n 9 || die "another \`make run\` is using $RUN_DIR (stop it, or set SMEFLOW_RUN_DIR to another directory)"

# ------------------------------------------------------------------ processes we start
# Every process is started with setsid (its own process group) and recorded in $PIDS as
# "name pid"; cleanup signals exactly those groups, and only while the pid still runs the
# command we started (guards against pid reuse).
alive() { # pid pattern
  [[ -n "$1" && -r "/proc/$1/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"
}

pattern_of() {
  case "$1" in
    bao-*) echo "server -dev" ;;
    operator) echo "quarkus-run.jar" ;;
    sandbox-api) echo "SandboxCluster" ;;
    *) echo "$1" ;;
  esac
}

stop_recorded() {
  [[ -f "$PIDS" ]] || return 0
  local name pid pat
  # newest first: operator before the API server and the Vaults it talks to
  while read -r name pid; do
    pat="$(pattern_of "$name")"
    if alive "$pid" "$pat"; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do alive "$pid" "$pat" || break; sleep 0.1; done
      if alive "$pid" "$pat"; then
        warn "$name ($pid) did not stop in 10s, killing it"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  done < <(tac "$PIDS")
  rm -f "$PIDS"
}

CLUSTER_DIR=""
CLEANED=0
cleanup() {
  local rc=$?
  ((CLEANED)) && return
  CLEANED=1
  trap - INT TERM HUP
  # the files with Vault tokens go with the run
  rm -f "$RUN_DIR/operator.properties" "$RUN_DIR/bao-token"
  if [[ -f "$PIDS" || -n "$CLUSTER_DIR" ]]; then
    echo
    say "stopping what this run started ..."
    stop_recorded
    if [[ -n "$CLUSTER_DIR" ]]; then
      hack/local-cluster.sh down "$CLUSTER_DIR" || true
    fi
    say "stopped (logs kept in $RUN_DIR)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

start_bg() { # name logfile cmd...  (extra env via `env` in cmd)
  local name="$1" logfile="$2"
  shift 2
  setsid "$@" </dev/null >"$logfile" 2>&1 9>&- &
  local pid=$!
  echo "$name $pid" >>"$PIDS"
  LAST_PID=$pid
  # Until the child has exec'd, /proc/<pid>/cmdline is still this shell's: wait for the exec, so
  # alive() recognises it from the start.
  for _ in $(seq 1 100); do
    [[ -r "/proc/$pid/cmdline" ]] || break
    alive "$pid" "$(pattern_of "$name")" && break
    sleep 0.02
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A previous run in the same state dir that was killed without its trap: stop what it left.
if [[ -f "$PIDS" ]]; then
  say "stopping what an earlier run left in $RUN_DIR"
  stop_recorded
fi
if [[ -f "$RUN_DIR/cluster/pids" ]]; then
  hack/local-cluster.sh down "$RUN_DIR/cluster" || true
fi
rm -f "$RUN_DIR/sandbox.env" "$RUN_DIR/operator.properties"

# ------------------------------------------------------------------ mode
KUBECTL_USER="$(command -v kubectl || true)"
[[ -n "$KUBECTL_USER" ]] || { [[ -x "$TOOLS_DIR/bin/kubectl" ]] && KUBECTL_USER="$TOOLS_DIR/bin/kubectl"; }

context_reason=""
context_reachable() {
  if [[ -z "$KUBECTL_USER" ]]; then
    context_reason="no kubectl on PATH or in $TOOLS_DIR/bin"
    return 1
  fi
  local ctx out
  if ! ctx="$("$KUBECTL_USER" config current-context 2>&1)"; then
    context_reason="no current kube context ($KUBECTL_USER config current-context: ${ctx//$'\n'/ })"
    return 1
  fi
  if ! out="$("$KUBECTL_USER" get --raw /readyz --request-timeout=5s 2>&1)" || [[ "$out" != ok* ]]; then
    # some clusters forbid /readyz to ordinary users; `kubectl version` is the fallback then
    if ! grep -qi forbidden <<<"$out" ||
      ! out="$("$KUBECTL_USER" version --request-timeout=5s 2>&1)" || ! grep -q '^Server Version' <<<"$out"; then
      context_reason="current context '$ctx' is not reachable: $(tail -n1 <<<"$out")"
      return 1
    fi
  fi
  CONTEXT_NAME="$ctx"
  return 0
}

tools_reason=""
tools_present() {
  local out
  if out="$(hack/tools.sh --check 2>&1)"; then return 0; fi
  tools_reason="${out#\[tools\] }"
  return 1
}

MODE="${SMEFLOW_RUN_MODE:-}"
case "$MODE" in
  "")
    if context_reachable; then
      MODE=context
      say "mode: context - kube context '$CONTEXT_NAME' answers; running the operator against it"
    elif tools_present; then
      MODE=local-cluster
      say "mode: local-cluster - $context_reason; the real tools are in $TOOLS_DIR, so starting a local etcd + kube-apiserver"
    else
      MODE=sandbox
      say "mode: sandbox - $context_reason; tools missing ($tools_reason; \`make tools\` builds them), so using the embedded mock API server"
    fi
    ;;
  context)
    context_reachable || die "SMEFLOW_RUN_MODE=context, but $context_reason"
    say "mode: context (forced) - kube context '$CONTEXT_NAME'"
    ;;
  local-cluster)
    tools_present || die "SMEFLOW_RUN_MODE=local-cluster, but $tools_reason; run \`make tools\` first"
    say "mode: local-cluster (forced)"
    ;;
  sandbox) say "mode: sandbox (forced)" ;;
  *) die "SMEFLOW_RUN_MODE must be context, local-cluster or sandbox (got '$MODE')" ;;
esac

# ------------------------------------------------------------------ Vault per region
declare -A VAULT_ADDR_OF VAULT_TOKEN_OF
user_vaults=0
for r in "${REGIONS[@]}"; do
  a="SMEFLOW_VAULT_${r}_ADDRESS"
  t="SMEFLOW_VAULT_${r}_TOKEN"
  if [[ -n "${!a:-}" ]]; then
    user_vaults=1
    VAULT_ADDR_OF[$r]="${!a}"
    VAULT_TOKEN_OF[$r]="${!t:-${SMEFLOW_VAULT_TOKEN:-}}"
    [[ -n "${VAULT_TOKEN_OF[$r]}" ]] || die "$a is set but neither $t nor SMEFLOW_VAULT_TOKEN"
  fi
done

start_dev_vaults() {
  [[ -n "$BAO_BIN" && -x "$BAO_BIN" ]] || die "bao not found: run \`make tools-bao\` (or set BAO_BIN)"
  local t=$SECONDS token r port addr
  token="dev-root-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  mkdir -p "$RUN_DIR/bao-home"
  for r in "${REGIONS[@]}"; do
    port="$(free_port)"
    addr="http://127.0.0.1:$port"
    # HOME: the dev server would otherwise write ~/.vault-token; -dev-no-store-token as well
    start_bg "bao-$r" "$RUN_DIR/bao-$r.log" env HOME="$RUN_DIR/bao-home" \
      "$BAO_BIN" server -dev -dev-listen-address="127.0.0.1:$port" \
      -dev-root-token-id="$token" -dev-no-store-token
    VAULT_ADDR_OF[$r]="$addr"
    VAULT_TOKEN_OF[$r]="$token"
  done
  for r in "${REGIONS[@]}"; do
    local ok=0
    for _ in $(seq 1 300); do
      if curl -fsS -m 2 "${VAULT_ADDR_OF[$r]}/v1/sys/health" >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.2
    done
    ((ok)) || { tail -n 20 "$RUN_DIR/bao-$r.log" >&2; die "bao dev server for $r did not start"; }
  done
  (umask 077 && echo "$token" >"$RUN_DIR/bao-token")
  say "Vault per region (bao server -dev, in memory, root token in $RUN_DIR/bao-token): NG ${VAULT_ADDR_OF[NG]}  ZA ${VAULT_ADDR_OF[ZA]}  KE ${VAULT_ADDR_OF[KE]}  EU ${VAULT_ADDR_OF[EU]}  ($((SECONDS - t))s)"
  # Seed: each tenant's values into its own region's Vault only.
  PATH="$(dirname "$BAO_BIN"):$PATH" BAO_ADDR="${VAULT_ADDR_OF[EU]}" BAO_TOKEN="$token" \
    SEED_ADDR_KE="${VAULT_ADDR_OF[KE]}" SEED_ADDR_NG="${VAULT_ADDR_OF[NG]}" SEED_ADDR_EU="${VAULT_ADDR_OF[EU]}" \
    samples/vault-seed.sh | sed 's/^/      /'
  # Show the residency: what each region's Vault holds.
  for r in "${REGIONS[@]}"; do
    local held
    held="$(curl -fsS -m 5 -H "X-Vault-Token: $token" -X LIST "${VAULT_ADDR_OF[$r]}/v1/secret/metadata/smeflow/tenants" 2>/dev/null |
      python3 -c 'import json,sys; print(" ".join("tenants/"+k.rstrip("/") for k in json.load(sys.stdin)["data"]["keys"]))' 2>/dev/null || true)"
    if curl -fsS -m 5 -H "X-Vault-Token: $token" "${VAULT_ADDR_OF[$r]}/v1/secret/metadata/smeflow/database/main" >/dev/null 2>&1; then
      held="${held:+$held }database/main"
    fi
    say "  $r Vault holds: ${held:-nothing}"
  done
}

setup_vaults() {
  if ((user_vaults)); then
    for r in "${REGIONS[@]}"; do
      if [[ -n "${VAULT_ADDR_OF[$r]:-}" ]]; then
        say "Vault $r: ${VAULT_ADDR_OF[$r]} (from SMEFLOW_VAULT_${r}_ADDRESS)"
      else
        say "Vault $r: none configured - secrets of region $r will report that, never use another region's Vault"
      fi
    done
  else
    say "no SMEFLOW_VAULT_<REGION>_ADDRESS given: starting a local dev Vault per region"
    start_dev_vaults
  fi
}

# Operator configuration with the tokens: a private file, not the command line.
write_operator_properties() { # extra lines...
  local f="$RUN_DIR/operator.properties" r
  (
    umask 077
    {
      echo "# written by hack/run.sh for this run; holds Vault tokens, do not commit"
      for r in "${REGIONS[@]}"; do
        [[ -n "${VAULT_ADDR_OF[$r]:-}" ]] || continue
        echo "smeflow.vault.regions.$r.address=${VAULT_ADDR_OF[$r]}"
        echo "smeflow.vault.regions.$r.token=${VAULT_TOKEN_OF[$r]}"
        if [[ -n "${SMEFLOW_VAULT_NAMESPACE:-}" ]]; then
          echo "smeflow.vault.regions.$r.namespace=$SMEFLOW_VAULT_NAMESPACE"
        fi
      done
      echo "smeflow.operator-namespace=$OPERATOR_NS"
      [[ -z "${SMEFLOW_HASH_KEY:-}" ]] || echo "smeflow.hash.key=$SMEFLOW_HASH_KEY"
      printf '%s\n' "$@"
    } >"$f"
  )
  OPERATOR_PROPS="$f"
}

# ------------------------------------------------------------------ building and running the operator
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
SANDBOX_JAR="$ROOT/target/sandbox-app/quarkus-run.jar"
build_jar() {
  if [[ -f "$JAR" && -z "${SMEFLOW_REBUILD:-}" ]] &&
    [[ -z "$(find src/main pom.xml -newer "$JAR" -type f -print -quit 2>/dev/null)" ]]; then
    say "operator jar is up to date ($JAR)"
    return
  fi
  local t=$SECONDS
  say "building the operator jar (mvn package -DskipTests; log: $RUN_DIR/build.log) ..."
  if ! $MVN package -DskipTests -Dspotless.check.skip=true >"$RUN_DIR/build.log" 2>&1; then
    tail -n 40 "$RUN_DIR/build.log" >&2
    die "build failed (full log: $RUN_DIR/build.log)"
  fi
  say "built in $((SECONDS - t))s"
}

OPERATOR_STARTED=0
start_operator_jar() { # jar kubeconfig-or-empty profile [extra java args...]
  local jar="$1" kc="$2" profile="$3" java_env=()
  shift 3
  [[ -z "$kc" ]] || java_env=(KUBECONFIG="$kc")
  # shellcheck disable=SC2086
  start_bg operator "$RUN_DIR/operator.log" env "${java_env[@]}" java \
    -Dquarkus.profile="$profile" -Dquarkus.config.locations="$OPERATOR_PROPS" "$@" \
    ${SMEFLOW_JAVA_OPTS:-} -jar "$jar"
  OPERATOR_PID=$LAST_PID
  OPERATOR_STARTED=$SECONDS
}

await_operator() { # seconds
  local deadline=$((SECONDS + $1)) t=$SECONDS
  while ((SECONDS < deadline)); do
    if ! alive "$OPERATOR_PID" "$(pattern_of operator)"; then
      tail -n 60 "$RUN_DIR/operator.log" >&2
      die "the operator exited during start-up (log: $RUN_DIR/operator.log)"
    fi
    if grep -q "Listening on:" "$RUN_DIR/operator.log" 2>/dev/null; then
      local listen
      listen="$(grep -o 'Listening on: [^ ]*' "$RUN_DIR/operator.log" | tail -n1 | cut -d' ' -f3)"
      say "operator up in $((SECONDS - t))s (total $(elapsed)); health: $listen/q/health  metrics: $listen/q/metrics  log: $RUN_DIR/operator.log"
      return
    fi
    sleep 0.5
  done
  tail -n 60 "$RUN_DIR/operator.log" >&2
  die "the operator did not start within $1s (log: $RUN_DIR/operator.log)"
}

# The watch loop: $1 is a function printing one status view. Stops after RUN_SECONDS (counted
# from the operator's start) or on Ctrl-C; fails when the operator dies.
watch_loop() {
  local view="$1"
  if [[ "$MODE" == sandbox ]]; then
    say "try an emergency rotation: curl -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{\"metadata\":{\"annotations\":{\"secrets.smeflow.io/rotate-now\":\"'\$(date +%s)'\"}}}' $SANDBOX_URL/apis/secrets.smeflow.io/v1alpha1/namespaces/tenant-acme/tenantsecrets/jwt-signing-keys"
  elif [[ "$MODE" == local-cluster || -n "${SMEFLOW_APPLY_SAMPLES:-}" ]]; then
    say "try an emergency rotation: KUBECONFIG=${KUBECONFIG:-~/.kube/config} $KUBECTL -n tenant-acme annotate tsec jwt-signing-keys secrets.smeflow.io/rotate-now=\$(date +%s) --overwrite"
  fi
  if [[ -n "$RUN_SECONDS" ]]; then
    say "watching for ${RUN_SECONDS}s (SMEFLOW_RUN_SECONDS), every ${INTERVAL}s"
  else
    say "watching every ${INTERVAL}s; Ctrl-C stops everything"
  fi
  while :; do
    if ! alive "$OPERATOR_PID" "$(pattern_of operator)"; then
      tail -n 60 "$RUN_DIR/operator.log" >&2
      die "the operator exited (log: $RUN_DIR/operator.log)"
    fi
    if [[ -n "${SANDBOX_API_PID:-}" ]] && ! kill -0 "$SANDBOX_API_PID" 2>/dev/null; then
      die "the sandbox API server exited (log: $RUN_DIR/sandbox.log)"
    fi
    if [[ -n "$ROTATE_AFTER" && $ROTATED == 0 ]] && ((SECONDS - OPERATOR_STARTED >= ROTATE_AFTER)); then
      ROTATED=1
      rotate_now
    fi
    [[ -z "$view" ]] || "$view" || true
    if [[ -n "$RUN_SECONDS" ]] && ((SECONDS - OPERATOR_STARTED >= RUN_SECONDS)); then
      break
    fi
    sleep "$INTERVAL"
  done
  [[ -z "$view" ]] || "$view" || true
  final_summary
}

final_summary() { :; }

# SMEFLOW_RUN_ROTATE_AFTER: the emergency rotation of samples/30-emergency-rotation.yaml, as an
# annotation with a fresh token, so a scripted run shows a rotation and the restarts it causes.
ROTATED=0
rotate_now() {
  local token="make-run-$(date +%Y%m%d-%H%M%S)"
  say "emergency rotation: tenant-acme/jwt-signing-keys secrets.smeflow.io/rotate-now=$token (watch LAST ROTATED and RESTARTED AT)"
  if [[ "$MODE" == sandbox ]]; then
    curl -fsS -m 10 -X PATCH -H 'Content-Type: application/merge-patch+json' \
      -d "{\"metadata\":{\"annotations\":{\"secrets.smeflow.io/rotate-now\":\"$token\"}}}" \
      "$SANDBOX_URL/apis/secrets.smeflow.io/v1alpha1/namespaces/tenant-acme/tenantsecrets/jwt-signing-keys" >/dev/null ||
      warn "could not annotate tenant-acme/jwt-signing-keys"
  else
    K -n tenant-acme annotate tenantsecret jwt-signing-keys "secrets.smeflow.io/rotate-now=$token" --overwrite |
      sed 's/^/      /' || warn "could not annotate tenant-acme/jwt-signing-keys"
  fi
}

# ------------------------------------------------------------------ kubectl based views (context, local-cluster)
K() { "$KUBECTL" "$@"; }

kubectl_view() {
  echo
  echo "===== $(date +%T)  kubectl get tenantsecrets -A ====="
  K get tenantsecrets -A 2>&1
  local not_ready
  not_ready="$(K get tenantsecrets -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{"\t"}{range .status.conditions[?(@.type=="Ready")]}{.status}{"\t"}{.reason}{" - "}{.message}{end}{"\n"}{end}' 2>/dev/null |
    awk -F'\t' '$2 != "True" && $3 != "" {print "  " $1 ": " $3}')"
  [[ -z "$not_ready" ]] || printf 'not ready:\n%s\n' "$not_ready"
  echo
  echo "--- kubectl get rotationpolicies ---"
  K get rotationpolicies 2>&1
  echo
  echo "--- synced Secrets (key names only) and rollout targets ---"
  # key names only: the template never touches a value
  K get secrets -A -l app.kubernetes.io/managed-by=smeflow-secrets-operator -o go-template='{{range .items}}{{.metadata.namespace}}{{"\t"}}{{.metadata.name}}{{"\t"}}{{range $k, $v := .data}}{{$k}},{{end}}{{"\t"}}{{with .metadata.annotations}}{{index . "secrets.smeflow.io/vault-version"}}{{end}}{{"\n"}}{{end}}' 2>&1 |
    python3 -c '
import sys
rows = [["NAMESPACE", "SECRET", "KEYS", "VAULT VERSION"]]
rows += [[c.rstrip(",") for c in (l.rstrip("\n").split("\t") + ["", "", "", ""])[:4]] for l in sys.stdin if l.strip()]
if len(rows) == 1:
    print("No resources found")
else:
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("   ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip())'
  if [[ "$MODE" != context || -n "${SMEFLOW_APPLY_SAMPLES:-}" ]]; then
    K get deployments,statefulsets -A -l app.kubernetes.io/part-of=smeflow \
      -o 'custom-columns=NAMESPACE:.metadata.namespace,WORKLOAD:.metadata.name,KIND:.kind,RESTARTED AT:.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt' 2>&1
  fi
}

kubectl_summary() {
  local total ready
  total="$(K get tenantsecrets -A --no-headers 2>/dev/null | wc -l)"
  ready="$(K get tenantsecrets -A -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -c '^True$' || true)"
  say "summary: $ready/$total TenantSecrets Ready"
}

apply_crds() {
  say "applying deploy/crds"
  K apply -f deploy/crds/ | sed 's/^/      /'
  K wait --for condition=established --timeout=60s \
    crd/tenantsecrets.secrets.smeflow.io crd/rotationpolicies.secrets.smeflow.io | sed 's/^/      /'
}

apply_samples() {
  say "applying samples/00..20 and hack/run/workloads.yaml"
  K create namespace "$OPERATOR_NS" --dry-run=client -o yaml | K apply -f - | sed 's/^/      /'
  local f
  for f in samples/00-namespaces.yaml samples/10-rotationpolicies.yaml samples/20-tenantsecrets.yaml hack/run/workloads.yaml; do
    K apply -f "$f" | sed 's/^/      /'
  done
}

# ------------------------------------------------------------------ modes
run_context() {
  KUBECTL="$KUBECTL_USER"
  build_jar
  setup_vaults
  if K -n "$OPERATOR_NS" get deployment smeflow-secrets-operator >/dev/null 2>&1; then
    warn "deployment $OPERATOR_NS/smeflow-secrets-operator exists in '$CONTEXT_NAME': it and this local operator would both reconcile (no leader election here). Scale it to 0 first if that is not what you want."
  fi
  local extra=()
  if [[ -z "${SMEFLOW_HASH_KEY:-}" ]] && ! K get namespace "$OPERATOR_NS" >/dev/null 2>&1; then
    # Do not create namespaces in someone's cluster: keep the data-hash key locally instead.
    if [[ ! -s "$RUN_DIR/hmac.key" ]]; then
      (umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' >"$RUN_DIR/hmac.key")
    fi
    extra+=("smeflow.hash.key=$(cat "$RUN_DIR/hmac.key")")
    say "namespace $OPERATOR_NS does not exist: the data-hash key is kept in $RUN_DIR/hmac.key"
  fi
  apply_crds
  if [[ -n "${SMEFLOW_APPLY_SAMPLES:-}" ]]; then
    apply_samples
  else
    ROTATE_AFTER=""
    say "not applying samples to '$CONTEXT_NAME' (SMEFLOW_APPLY_SAMPLES=1 would apply samples/00..20 and stand-in workloads)"
  fi
  write_operator_properties "${extra[@]}"
  say "starting the operator (java -jar, profile sandbox) against '$CONTEXT_NAME'"
  start_operator_jar "$JAR" "" sandbox
  await_operator 180
  final_summary() { kubectl_summary; }
  watch_loop kubectl_view
}

run_local_cluster() {
  KUBECTL="$TOOLS_DIR/bin/kubectl"
  build_jar
  setup_vaults
  CLUSTER_DIR="$RUN_DIR/cluster"
  local t=$SECONDS
  say "starting etcd + kube-apiserver (hack/local-cluster.sh up $CLUSTER_DIR)"
  hack/local-cluster.sh up "$CLUSTER_DIR" 9>&-
  # shellcheck disable=SC1091
  KUBECONFIG="$CLUSTER_DIR/admin.kubeconfig"
  export KUBECONFIG
  say "local cluster ready in $((SECONDS - t))s: $(grep '^APISERVER_URL=' "$CLUSTER_DIR/cluster.env" | cut -d= -f2)"
  say "  try it:  export KUBECONFIG=$KUBECONFIG; $KUBECTL get tsec -A"
  apply_crds
  apply_samples
  write_operator_properties
  say "starting the operator (java -jar, profile sandbox, server-side apply on)"
  start_operator_jar "$JAR" "$KUBECONFIG" sandbox
  await_operator 180
  final_summary() { kubectl_summary; }
  watch_loop kubectl_view
}

run_sandbox() {
  command -v java >/dev/null || die "java (17+) is needed"
  local t=$SECONDS cp="$RUN_DIR/test-classpath.txt"
  # Maven 3.8 cannot run quarkus:dev (Quarkus 3.33 wants Maven >= 3.9), and enable-ssa is fixed
  # at build time, so the sandbox gets its own packaged variant of the operator, built with
  # profiles sandbox + sandbox-mock (SSA off) into target/sandbox-app; target/quarkus-app, the
  # real jar, keeps SSA on. The same Maven run compiles the test-scope launcher of the mock API
  # server and writes its class path.
  if [[ -f "$SANDBOX_JAR" && -s "$cp" && -z "${SMEFLOW_REBUILD:-}" ]] &&
    [[ -z "$(find src pom.xml -newer "$SANDBOX_JAR" -type f -print -quit 2>/dev/null)" ]]; then
    say "sandbox build is up to date ($SANDBOX_JAR)"
  else
    say "building the sandbox variant of the operator and the mock API server launcher (log: $RUN_DIR/build.log) ..."
    if ! $MVN package -DskipTests -Dspotless.check.skip=true -Dquarkus.profile=sandbox,sandbox-mock \
      -Dquarkus.package.output-directory=sandbox-app \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" \
      >"$RUN_DIR/build.log" 2>&1; then
      tail -n 40 "$RUN_DIR/build.log" >&2
      die "build failed (full log: $RUN_DIR/build.log)"
    fi
    [[ -f "$SANDBOX_JAR" ]] || die "the build wrote no $SANDBOX_JAR (log: $RUN_DIR/build.log)"
    touch "$SANDBOX_JAR"
    say "built in $((SECONDS - t))s"
  fi
  setup_vaults
  t=$SECONDS
  # The mock API server JVM prints the status tables itself (no kubectl needed); its output is
  # this terminal, tee'd to sandbox.log.
  setsid java -cp "$ROOT/target/test-classes:$(cat "$cp")" io.smeflow.secrets.sandbox.SandboxCluster \
    "$RUN_DIR" "$INTERVAL" deploy/crds/rotationpolicies.secrets.smeflow.io.yaml \
    deploy/crds/tenantsecrets.secrets.smeflow.io.yaml samples/00-namespaces.yaml \
    samples/10-rotationpolicies.yaml samples/20-tenantsecrets.yaml hack/run/workloads.yaml \
    </dev/null > >(exec 9>&-; exec tee "$RUN_DIR/sandbox.log") 2>&1 9>&- &
  echo "sandbox-api $!" >>"$PIDS"
  SANDBOX_API_PID=$!
  local api_pid=$SANDBOX_API_PID
  for _ in $(seq 1 600); do
    [[ -f "$RUN_DIR/sandbox.env" ]] && break
    kill -0 "$api_pid" 2>/dev/null || die "the sandbox API server exited (log: $RUN_DIR/sandbox.log)"
    sleep 0.1
  done
  [[ -f "$RUN_DIR/sandbox.env" ]] || die "the sandbox API server did not start in 60s"
  local url
  url="$(sed -n 's/^SANDBOX_API_URL=//p' "$RUN_DIR/sandbox.env")"
  SANDBOX_URL="$url"
  say "mock API server ready in $((SECONDS - t))s: $url"
  # A kubeconfig for the mock, so the operator never picks up ~/.kube/config.
  cat >"$RUN_DIR/sandbox.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: sandbox
  cluster: {server: "$url"}
users:
- name: sandbox
  user: {token: sandbox}
contexts:
- name: sandbox
  context: {cluster: sandbox, user: sandbox, namespace: default}
current-context: sandbox
EOF
  write_operator_properties
  say "starting the operator (java -jar target/sandbox-app, profiles sandbox + sandbox-mock: server-side apply off)"
  # The API server comes from the kubeconfig (quarkus.kubernetes-client.api-server-url is fixed
  # at build time in this Quarkus version).
  start_operator_jar "$SANDBOX_JAR" "$RUN_DIR/sandbox.kubeconfig" sandbox,sandbox-mock
  await_operator 300
  final_summary() {
    sleep 1
    say "summary: $(grep '^Ready: ' "$RUN_DIR/sandbox.log" | tail -n1 | cut -d' ' -f2) TenantSecrets Ready"
  }
  # The tables come from the sandbox JVM; this loop only keeps time and checks the operator.
  watch_loop ""
}

case "$MODE" in
  context) run_context ;;
  local-cluster) run_local_cluster ;;
  sandbox) run_sandbox ;;
esac
