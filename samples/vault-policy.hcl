# Vault / OpenBao policy for smeflow-secrets-operator (role smeflow-secrets-operator).
# Write it to every regional Vault:
#
#   bao policy write smeflow-secrets-operator samples/vault-policy.hcl
#
# KV v2 at mount `secret`. Tenants live under secret/smeflow/tenants/<tenantId>/..., platform
# secrets under secret/smeflow/.... The operator reads values and metadata, writes new versions
# when it rotates (with check-and-set), and writes custom metadata (rotation_date, rotation_id,
# rotated_by). It never deletes, undeletes or destroys anything, and it lists nothing: every path
# it touches is named by a TenantSecret.
#
# Renewing and looking up its own token come from Vault's built-in `default` policy
# (auth/token/renew-self, auth/token/lookup-self); keep it attached to the role.

# Secret values: read the current version; create the first version or a new one on rotation.
path "secret/data/smeflow/*" {
  capabilities = ["read", "create", "update"]
}

# Version metadata (created_time per version, current_version for check-and-set) and the
# custom metadata recorded on rotation.
path "secret/metadata/smeflow/*" {
  capabilities = ["read", "create", "update"]
}

# Defence in depth: even if another policy attached to the same token grants more, the operator's
# token can never delete, undelete or destroy secret versions. An explicit deny always wins.
path "secret/delete/smeflow/*" {
  capabilities = ["deny"]
}

path "secret/undelete/smeflow/*" {
  capabilities = ["deny"]
}

path "secret/destroy/smeflow/*" {
  capabilities = ["deny"]
}
