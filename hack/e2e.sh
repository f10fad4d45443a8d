#!/usr/bin/env bash
# The e2e tier (`make e2e`): the packaged operator against a real kube-apiserver + etcd and a real
# OpenBao, all on 127.0.0.1.
#
#   hack/e2e.sh                 tools, build the runnable jar if stale, run the tests tagged e2e
#   hack/e2e.sh -Dtest=X#y      extra arguments go to `mvn test` (e.g. one test method)
#
# The JUnit tests (src/test/java/io/smeflow/secrets/e2e) start and stop the servers themselves
# (E2eEnvironment): hack/local-cluster.sh up, `bao server -dev`, and the operator as
# `java -jar target/quarkus-app/quarkus-run.jar` processes. This script owns the state directory and,
# whatever happens, stops everything listed there on exit: the processes the tests recorded in
# <state>/e2e-pids and the cluster (local-cluster.sh down).
#
# Env: MVN (default "mvn -B"), E2E_KEEP_STATE=1 keeps the state directory (logs, audit logs),
#      E2E_FORCE_BUILD=1 rebuilds the jar even if it looks current, SMEFLOW_TOOLS_DIR (tools.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
MVN="${MVN:-mvn -B}"
T0=$SECONDS

log() { echo "[e2e] $*" >&2; }

hack/tools.sh >&2
export BAO_BIN="${SMEFLOW_TOOLS_DIR:-$HOME/.cache/smeflow-tools}/bin/bao"

STATE="$(mktemp -d "${TMPDIR:-/tmp}/smeflow-e2e.XXXXXX")"
export E2E_STATE_DIR="$STATE"

# pid is alive and its command line still contains the expected word (guards against pid reuse)
alive() { [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -q -- "$2"; }

cleanup() {
  local rc=$? pid what
  if [[ -f "$STATE/e2e-pids" ]]; then
    while read -r pid what; do
      case "$what" in bao) word="bao" ;; *) word="quarkus-run.jar" ;; esac
      if alive "$pid" "$word"; then
        log "stopping leftover $what (pid $pid)"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done < "$STATE/e2e-pids"
  fi
  hack/local-cluster.sh down "$STATE/cluster" >/dev/null 2>&1 || true
  if [[ "${E2E_KEEP_STATE:-0}" == 1 || $rc -ne 0 ]]; then
    log "logs kept in $STATE (operator-*/operator.log, openbao*.log, apiserver-audit.log, cluster/*.log)"
  else
    rm -rf "$STATE"
  fi
  log "finished in $((SECONDS - T0)) s (exit $rc)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

JAR=target/quarkus-app/quarkus-run.jar
stale=0
if [[ "${E2E_FORCE_BUILD:-0}" == 1 || ! -f "$JAR" ]]; then
  stale=1
elif [[ -n "$(find src/main pom.xml -newer "$JAR" -type f -print -quit)" ]]; then
  stale=1
fi
if ((stale)); then
  log "building the runnable jar"
  $MVN package -DskipTests -Dspotless.check.skip=true >&2
else
  log "$JAR is newer than src/main and pom.xml; not rebuilding"
fi

log "running the e2e tests (state in $STATE)"
$MVN test -Dsurefire.excludedGroups= -Dsurefire.groups=e2e -Dspotless.check.skip=true \
  -Dsurefire.failIfNoSpecifiedTests=false "$@"
