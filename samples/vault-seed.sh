#!/usr/bin/env bash
# Seed a DEV OpenBao (or Vault) with DUMMY values for the sample TenantSecrets.
#
#   bao server -dev -dev-root-token-id=dev-only-token &          # a throwaway dev server
#   BAO_ADDR=http://127.0.0.1:8200 BAO_TOKEN=dev-only-token samples/vault-seed.sh
#
# Every value written here is fake and says so ("dummy-..."), apart from the JWT key pair,
# which is generated fresh on this machine with openssl and never stored anywhere else.
# Never point this script at a real Vault: it overwrites the sample paths.
#
# Environment:
#   BAO_ADDR / BAO_TOKEN        address and token (VAULT_ADDR / VAULT_TOKEN are accepted too)
#   SEED_ADDR_KE, SEED_ADDR_NG, SEED_ADDR_EU
#                               optional per-region addresses, to seed one dev server per region
#                               the way production has one Vault per region; default: BAO_ADDR
#   SEED_KV_MOUNT               KV v2 mount (default: secret)
#
# Layout (DESIGN.md): secret/smeflow/tenants/<tenantId>/<path> for tenants,
# secret/smeflow/<path> for the platform.
set -euo pipefail

addr="${BAO_ADDR:-${VAULT_ADDR:-}}"
token="${BAO_TOKEN:-${VAULT_TOKEN:-}}"
mount="${SEED_KV_MOUNT:-secret}"

if [[ -z "$addr" || -z "$token" ]]; then
  echo "vault-seed.sh: set BAO_ADDR and BAO_TOKEN (or VAULT_ADDR and VAULT_TOKEN) to a dev server" >&2
  exit 2
fi

# The OpenBao CLI if there is one, the Vault CLI otherwise. Both read their own variable names,
# so export both.
if command -v bao >/dev/null 2>&1; then
  cli=bao
elif command -v vault >/dev/null 2>&1; then
  cli=vault
else
  echo "vault-seed.sh: neither bao nor vault is on PATH" >&2
  exit 2
fi
command -v openssl >/dev/null 2>&1 || { echo "vault-seed.sh: openssl is required" >&2; exit 2; }

# A random suffix, so the dummy values change between seeds and the operator has something to
# sync.
suffix() { openssl rand -hex 8; }

# Files for multi-line values (PEM keys) live in a private temporary folder, removed on exit.
workdir="$(mktemp -d)"
chmod 700 "$workdir"
trap 'rm -rf "$workdir"' EXIT

# put REGION PATH KEY=VALUE...  writes one KV v2 secret into the region's dev server.
# Values are passed as arguments, which is fine for dummy data; `bao kv put` prints only the
# version metadata, never the values.
put() {
  local region="$1" path="$2"
  shift 2
  local var="SEED_ADDR_${region}"
  local region_addr="${!var:-$addr}"
  echo "==> ${region}  ${mount}/${path}  (${region_addr})"
  BAO_ADDR="$region_addr" VAULT_ADDR="$region_addr" BAO_TOKEN="$token" VAULT_TOKEN="$token" \
    "$cli" kv put -mount="$mount" "$path" "$@" >/dev/null
}

# ---- Acme (tenant acme, Kenya) ----------------------------------------------------------------
# M-Pesa Daraja credentials.
put KE smeflow/tenants/acme/payments/mpesa \
  consumer_key="dummy-consumer-key-$(suffix)" \
  consumer_secret="dummy-consumer-secret-$(suffix)" \
  passkey="dummy-passkey-$(suffix)"

# n8n credential-encryption key (32 random bytes, base64, like the n8n-generate-45d policy).
put KE smeflow/tenants/acme/n8n/encryption \
  encryption_key="$(openssl rand -base64 32)"

# OpenAI API key.
put KE smeflow/tenants/acme/llm/openai \
  api_key="dummy-openai-api-key-$(suffix)"

# JWT signing key pair, P-256 (ES256), as the auth-jwt-keys-30d policy generates it.
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null \
  | openssl pkcs8 -topk8 -nocrypt -out "$workdir/jwt-private.pem"
openssl pkey -in "$workdir/jwt-private.pem" -pubout -out "$workdir/jwt-public.pem"
put KE smeflow/tenants/acme/auth/jwt-signing \
  private_key=@"$workdir/jwt-private.pem" \
  public_key=@"$workdir/jwt-public.pem"

# ---- PayLink (tenant paylink, Nigeria) --------------------------------------------------------
# Paystack keys; the sk_test_/pk_test_ prefixes mark test-mode keys, and these are not even that.
put NG smeflow/tenants/paylink/payments/paystack \
  secret_key="sk_test_dummy$(suffix)" \
  public_key="pk_test_dummy$(suffix)"

# ---- Platform (EU) ----------------------------------------------------------------------------
# The database URL carries no password; the password is its own key (database-generate-90d
# rotates it).
put EU smeflow/database/main \
  url="postgresql://smeflow_app@db.smeflow.internal:5432/smeflow?sslmode=require" \
  password="dummy-db-password-$(suffix)"

echo "Seeded the sample paths with dummy values."
