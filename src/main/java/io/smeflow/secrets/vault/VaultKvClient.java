package io.smeflow.secrets.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.WriteOptions;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.smeflow.secrets.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * KV v2 reads and writes against the regional Vaults. Every request is audited and counted, and
 * every failure comes back as a {@link VaultAccessException} whose message holds no response body.
 */
@ApplicationScoped
public class VaultKvClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegionalVaults vaults;
    private final VaultTokens tokens;
    private final VaultAccessRecorder recorder;
    private final OperatorConfig.VaultConfig config;

    public VaultKvClient(
            RegionalVaults vaults,
            VaultTokens tokens,
            VaultAccessRecorder recorder,
            OperatorConfig config) {
        this.vaults = vaults;
        this.tokens = tokens;
        this.recorder = recorder;
        this.config = config.vault();
    }

    /** The current version of a secret. */
    public KvSecret read(SecretLocation location) throws VaultAccessException {
        return readVersion(location, null);
    }

    /** A given version of a secret, or the current one when {@code version} is null. */
    public KvSecret readVersion(SecretLocation location, Integer version)
            throws VaultAccessException {
        String path = mountPath(location);
        LogicalResponse response =
                call(
                        location,
                        VaultAction.READ,
                        "read of " + path,
                        token ->
                                checked(
                                        version == null
                                                ? vaults.client(location.region(), token)
                                                        .logical()
                                                        .read(path)
                                                : vaults.client(location.region(), token)
                                                        .logical()
                                                        .read(path, false, version)));
        return toSecret(response, location, path);
    }

    /**
     * Writes a new version only if the current one is still {@code expectedVersion}
     * (check-and-set). Returns the new version. A lost race is a {@link VaultFailure#CAS_CONFLICT}:
     * the caller re-reads, it never retries the write blindly.
     */
    public int writeIfVersion(
            SecretLocation location, Map<String, String> data, int expectedVersion)
            throws VaultAccessException {
        String path = mountPath(location);
        Map<String, Object> payload = new LinkedHashMap<>(data);
        WriteOptions cas = new WriteOptions().checkAndSet((long) expectedVersion);
        LogicalResponse response;
        try {
            response =
                    call(
                            location,
                            VaultAction.WRITE,
                            "write of " + path,
                            token -> checked(write(location, token, path, payload, cas)));
        } catch (VaultAccessException e) {
            throw casConflictIfVersionMoved(location, expectedVersion, e);
        }
        return writtenVersion(response);
    }

    private LogicalResponse write(
            SecretLocation location,
            String token,
            String path,
            Map<String, Object> payload,
            WriteOptions options)
            throws VaultException, VaultAccessException {
        // The third argument is a response-wrapping TTL, not the engine version: none wanted.
        return vaults.client(location.region(), token)
                .logical()
                .write(path, payload, null, options);
    }

    /** Version list, creation times and custom metadata of a secret. */
    public KvMetadata readMetadata(SecretLocation location) throws VaultAccessException {
        String path = location.path();
        JsonNode body =
                call(
                        location,
                        VaultAction.READ_METADATA,
                        "metadata read of " + config.mount() + "/metadata/" + path,
                        token -> metadataRequest(location, token, "GET", null));
        JsonNode data = body.path("data");
        Map<Integer, Instant> created = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> versions = data.path("versions").fields();
        while (versions.hasNext()) {
            Map.Entry<String, JsonNode> v = versions.next();
            created.put(
                    Integer.parseInt(v.getKey()),
                    Instant.parse(v.getValue().path("created_time").asText()));
        }
        Map<String, String> custom = new HashMap<>();
        data.path("custom_metadata")
                .fields()
                .forEachRemaining(e -> custom.put(e.getKey(), e.getValue().asText()));
        return new KvMetadata(data.path("current_version").asInt(), created, custom);
    }

    /** Replaces the secret's custom metadata; creates no version. */
    public void writeCustomMetadata(SecretLocation location, Map<String, String> customMetadata)
            throws VaultAccessException {
        String body = JSON.valueToTree(Map.of("custom_metadata", customMetadata)).toString();
        call(
                location,
                VaultAction.WRITE_METADATA,
                "metadata write of " + config.mount() + "/metadata/" + location.path(),
                token -> metadataRequest(location, token, "POST", body));
    }

    /**
     * A rejected check-and-set write comes back as HTTP 400. Whether it was a lost race is decided
     * from Vault's state, not from the error text: if the current version moved, it was.
     */
    private VaultAccessException casConflictIfVersionMoved(
            SecretLocation location, int expectedVersion, VaultAccessException e)
            throws VaultAccessException {
        if (e.httpStatus() != 400) {
            return e;
        }
        int current = readMetadata(location).currentVersion();
        if (current == expectedVersion) {
            return e;
        }
        return new VaultAccessException(
                VaultFailure.CAS_CONFLICT,
                400,
                "write to "
                        + mountPath(location)
                        + " expected version "
                        + expectedVersion
                        + " but Vault is at version "
                        + current);
    }

    private JsonNode metadataRequest(
            SecretLocation location, String token, String method, String body)
            throws VaultException {
        OperatorConfig.RegionVault region;
        try {
            region = vaults.require(location.region());
        } catch (VaultAccessException e) {
            throw new VaultException(e.getMessage(), 0);
        }
        URI uri =
                URI.create(
                        stripSlash(region.address())
                                + "/v1/"
                                + config.mount()
                                + "/metadata/"
                                + location.path());
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .timeout(config.requestTimeout())
                        .header("X-Vault-Token", token)
                        .header("X-Vault-Request", "true");
        region.namespace().ifPresent(ns -> request.header("X-Vault-Namespace", ns));
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response =
                    vaults.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 204) {
                return JSON.createObjectNode();
            }
            if (status != 200) {
                throw new VaultException("HTTP " + status, status);
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new VaultException("no answer", 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultException("interrupted", 0);
        }
    }

    /**
     * Runs one request with a cached token. If Vault refuses the token (403), the cached token is
     * dropped and the request is tried once more with a fresh login, since an expired or revoked
     * token looks the same as a policy denial.
     */
    private <T> T call(SecretLocation location, VaultAction action, String what, Request<T> request)
            throws VaultAccessException {
        String auditPath = location.auditPath(config.mount());
        boolean mayRetryWithFreshToken =
                config.auth().method() == OperatorConfig.AuthMethod.kubernetes;
        while (true) {
            String token = tokens.token(location);
            try {
                T result = request.send(token);
                recorder.succeeded(location, auditPath, action);
                return result;
            } catch (VaultException e) {
                VaultAccessException failure =
                        VaultErrors.classify(e, what + " at Vault " + location.region());
                recorder.failed(location, auditPath, action, failure);
                if (failure.failure() == VaultFailure.DENIED && mayRetryWithFreshToken) {
                    tokens.invalidate(location);
                    mayRetryWithFreshToken = false;
                    continue;
                }
                throw failure;
            } catch (RuntimeException e) {
                VaultAccessException failure =
                        new VaultAccessException(
                                VaultFailure.UNAVAILABLE,
                                0,
                                what
                                        + " at Vault "
                                        + location.region()
                                        + " failed: "
                                        + e.getClass().getSimpleName());
                recorder.failed(location, auditPath, action, failure);
                throw failure;
            }
        }
    }

    private KvSecret toSecret(LogicalResponse response, SecretLocation location, String path)
            throws VaultAccessException {
        Map<String, String> meta = response.getDataMetadata().getMetadataMap();
        if (meta == null || meta.get("version") == null) {
            throw new VaultAccessException(
                    VaultFailure.NOT_FOUND, 404, "read of " + path + ": no data at this path");
        }
        if (meta.get("deletion_time") != null && !meta.get("deletion_time").isEmpty()) {
            throw new VaultAccessException(
                    VaultFailure.NOT_FOUND,
                    404,
                    "read of " + path + ": the current version is deleted");
        }
        Instant created = Instant.parse(meta.get("created_time"));
        return new KvSecret(response.getData(), Integer.parseInt(meta.get("version")), created);
    }

    /**
     * The driver hands back non-2xx answers as responses; this turns them into the exception the
     * rest of the client classifies.
     */
    private static LogicalResponse checked(LogicalResponse response) throws VaultException {
        int status = response.getRestResponse().getStatus();
        if (status < 200 || status >= 300) {
            throw new VaultException("HTTP " + status, status);
        }
        return response;
    }

    /** The version a KV v2 write created, from the response body's data.version. */
    private static int writtenVersion(LogicalResponse response) throws VaultAccessException {
        try {
            JsonNode body = JSON.readTree(response.getRestResponse().getBody());
            return body.path("data").path("version").asInt();
        } catch (IOException e) {
            throw new VaultAccessException(
                    VaultFailure.UNAVAILABLE, 200, "Vault's answer to a write was not JSON");
        }
    }

    /** The path the driver is given; it inserts KV v2's {@code data/} after the mount. */
    private String mountPath(SecretLocation location) {
        return config.mount() + "/" + location.path();
    }

    private static String stripSlash(String address) {
        return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    }

    @FunctionalInterface
    private interface Request<T> {
        T send(String token) throws VaultException, VaultAccessException;
    }
}
