package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.smeflow.secrets.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The operator-held key behind {@code status.dataHash} and restart records. It must survive
 * operator restarts (otherwise every hash changes and every workload looks changed), so unless
 * configured it is generated once and kept in a Secret in the operator's namespace.
 */
@ApplicationScoped
public class HmacKey {

    private static final Logger LOG = Logger.getLogger(HmacKey.class);
    private static final String DATA_KEY = "key";

    private final OperatorConfig config;
    private final KubernetesClient kubernetes;
    private volatile byte[] key;

    public HmacKey(OperatorConfig config, KubernetesClient kubernetes) {
        this.config = config;
        this.kubernetes = kubernetes;
    }

    public byte[] bytes() {
        byte[] k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = load();
                }
                k = key;
            }
        }
        return k;
    }

    private byte[] load() {
        if (config.hash().key().isPresent()) {
            return config.hash().key().get().getBytes(StandardCharsets.UTF_8);
        }
        String namespace = config.operatorNamespace();
        String name = config.hash().secretName();
        Secret existing = kubernetes.secrets().inNamespace(namespace).withName(name).get();
        if (existing != null) {
            return decode(existing);
        }
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        Secret secret =
                new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .withLabels(Map.of(ManagedSecrets.MANAGED_BY_LABEL, ManagedSecrets.MANAGER))
                        .endMetadata()
                        .withData(Map.of(DATA_KEY, Base64.getEncoder().encodeToString(fresh)))
                        .build();
        try {
            kubernetes.secrets().inNamespace(namespace).resource(secret).create();
            LOG.infof("Generated the data-hash key and stored it in Secret %s/%s", namespace, name);
            return fresh;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return decode(kubernetes.secrets().inNamespace(namespace).withName(name).get());
            }
            throw e;
        }
    }

    private static byte[] decode(Secret secret) {
        return Base64.getDecoder().decode(secret.getData().get(DATA_KEY));
    }
}
