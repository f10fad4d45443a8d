#!/usr/bin/env bash
# Prepare one regional Vault / OpenBao for smeflow-secrets-operator. Run it once per region,
# against that region's Vault, with the tenants of that region.
#
#   BAO_ADDR=https://vault.ke.smeflow.internal:8200 BAO_TOKEN=<admin token> \
#   K8S_HOST=https://<api-server>:6443 TENANTS="acme:tenant-acme" samples/vault-setup.sh
#
# Environment:
#   BAO_ADDR / BAO_TOKEN   the Vault and an admin token (VAULT_ADDR / VAULT_TOKEN accepted too)
#   K8S_HOST               the Kubernetes API server address as Vault can reach it; set it when
#                          Vault runs outside the cluster (default: https://kubernetes.default.svc
#                          with Vault's own pod CA and token, when Vault runs in the cluster)
#   K8S_CA_CERT            file with the API server's CA certificate (required with K8S_HOST)
#   TOKEN_REVIEWER_JWT     optional long-lived token of a reviewer ServiceAccount (step 2); when
#                          unset, Vault uses its own pod's token (Vault in the cluster) or the
#                          client's token
#   TENANTS                space-separated tenantId:namespace pairs served by THIS region's
#                          Vault, for per-tenant identity (default: none)
#   KV_MOUNT               KV v2 mount (default: secret)
#   POLICY_FILE            operator policy (default: vault-policy.hcl beside this script)
#
# Nothing here prints or stores a secret value.
set -euo pipefail

export BAO_ADDR="${BAO_ADDR:-${VAULT_ADDR:-}}"
export BAO_TOKEN="${BAO_TOKEN:-${VAULT_TOKEN:-}}"
export VAULT_ADDR="$BAO_ADDR" VAULT_TOKEN="$BAO_TOKEN"
if [[ -z "$BAO_ADDR" || -z "$BAO_TOKEN" ]]; then
  echo "vault-setup.sh: set BAO_ADDR and BAO_TOKEN (or VAULT_ADDR and VAULT_TOKEN)" >&2
  exit 2
fi
if command -v bao >/dev/null 2>&1; then cli=bao; else cli=vault; fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
k8s_host="${K8S_HOST:-https://kubernetes.default.svc}"
mount="${KV_MOUNT:-secret}"
policy_file="${POLICY_FILE:-$here/vault-policy.hcl}"
tenants="${TENANTS:-}"
# Check TENANTS before changing anything (tenant ids as in TenantSecret.spec.tenantId).
for pair in $tenants; do
  if [[ ! "${pair%%:*}" =~ ^[a-z0-9][a-z0-9_-]{0,62}$ || "${pair#*:}" == "$pair" || -z "${pair#*:}" ]]; then
    echo "vault-setup.sh: TENANTS entries are tenantId:namespace, got '${pair}'" >&2
    exit 2
  fi
done

# ---- Step 1: KV v2 at `secret` ----------------------------------------------------------------
# The operator expects KV version 2 (versions, check-and-set, custom metadata).
if ! "$cli" secrets list -format=json | grep -q "\"${mount}/\""; then
  echo "==> enabling KV v2 at ${mount}/"
  "$cli" secrets enable -path="$mount" -version=2 kv
fi

# ---- Step 2: Kubernetes auth method -------------------------------------------------------------
# Vault checks each login token with the TokenReview API. When Vault runs outside the cluster,
# give it a reviewer identity rather than relying on the clients' own tokens, e.g.:
#
#   kubectl -n smeflow-system create serviceaccount vault-token-reviewer
#   kubectl create clusterrolebinding vault-token-reviewer \
#     --clusterrole=system:auth-delegator \
#     --serviceaccount=smeflow-system:vault-token-reviewer
#   TOKEN_REVIEWER_JWT="$(kubectl -n smeflow-system create token vault-token-reviewer --duration=8760h)"
#
# (smeflow-secrets-operator itself does not get system:auth-delegator.)
if ! "$cli" auth list -format=json | grep -q '"kubernetes/"'; then
  echo "==> enabling the kubernetes auth method"
  "$cli" auth enable kubernetes
fi

echo "==> configuring auth/kubernetes (host ${k8s_host})"
config_args=("kubernetes_host=${k8s_host}")
if [[ -n "${K8S_HOST:-}" ]]; then
  # Vault outside the cluster: it has no pod token or CA file of its own to fall back on, so it
  # needs the API server's CA, e.g.
  #   kubectl config view --raw --minify \
  #     -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d >k8s-ca.crt
  if [[ -z "${K8S_CA_CERT:-}" ]]; then
    echo "vault-setup.sh: K8S_HOST is set (Vault outside the cluster); set K8S_CA_CERT too" >&2
    exit 2
  fi
  config_args+=("disable_local_ca_jwt=true")
fi
if [[ -n "${K8S_CA_CERT:-}" ]]; then
  config_args+=("kubernetes_ca_cert=@${K8S_CA_CERT}")
fi
if [[ -n "${TOKEN_REVIEWER_JWT:-}" ]]; then
  # Handed over in a private file, not as an argument, so it never shows in the process list.
  reviewer_dir="$(mktemp -d)"
  trap 'rm -rf "$reviewer_dir"' EXIT
  (umask 077 && printf '%s' "$TOKEN_REVIEWER_JWT" >"$reviewer_dir/jwt")
  config_args+=("token_reviewer_jwt=@${reviewer_dir}/jwt")
fi
"$cli" write auth/kubernetes/config "${config_args[@]}" >/dev/null

# ---- Step 3: the operator's policy and role --------------------------------------------------
# read/create/update on secret/data/smeflow/* and secret/metadata/smeflow/*; never delete or
# destroy (see vault-policy.hcl).
echo "==> writing policy smeflow-secrets-operator"
"$cli" policy write smeflow-secrets-operator "$policy_file" >/dev/null

# Only the ServiceAccount smeflow-system/smeflow-secrets-operator may log in as this role.
# Tokens live 15 minutes (the operator's smeflow.vault.auth.token-ttl) and can be renewed up to
# an hour, after which the operator logs in again with its current (kubelet-rotated) SA token.
echo "==> writing role auth/kubernetes/role/smeflow-secrets-operator"
"$cli" write auth/kubernetes/role/smeflow-secrets-operator \
  bound_service_account_names=smeflow-secrets-operator \
  bound_service_account_namespaces=smeflow-system \
  token_policies=smeflow-secrets-operator \
  token_ttl=15m \
  token_max_ttl=1h >/dev/null

# ---- Step 4: per-tenant identity (optional) ------------------------------------------------------
# With smeflow.vault.auth.per-tenant.enabled=true, the operator reads a tenant's secrets as Vault
# role tenant-<id>, logging in with a token minted for ServiceAccount smeflow-vault in the
# tenant's namespace. Each role's policy reaches only that tenant's subtree, so even a bug in the
# operator cannot read one tenant's secrets with another tenant's identity.
# Create roles only in the Vault of the tenant's own region (acme in KE, paylink in NG).
for pair in $tenants; do
  tenant="${pair%%:*}"
  namespace="${pair#*:}"
  echo "==> writing policy and role tenant-${tenant} (namespace ${namespace})"
  # Data and metadata of this tenant only: the operator needs both to sync and to rotate.
  "$cli" policy write "smeflow-tenant-${tenant}" - >/dev/null <<HCL
# Tenant ${tenant}: its own subtree of ${mount}/smeflow/tenants and nothing else.
path "${mount}/data/smeflow/tenants/${tenant}/*" {
  capabilities = ["read", "create", "update"]
}
path "${mount}/metadata/smeflow/tenants/${tenant}/*" {
  capabilities = ["read", "create", "update"]
}
HCL
  "$cli" write "auth/kubernetes/role/tenant-${tenant}" \
    bound_service_account_names=smeflow-vault \
    bound_service_account_namespaces="${namespace}" \
    token_policies="smeflow-tenant-${tenant}" \
    token_ttl=15m \
    token_max_ttl=1h >/dev/null
done

echo "Done. Point smeflow.vault.regions.<REGION>.address at ${BAO_ADDR}."
