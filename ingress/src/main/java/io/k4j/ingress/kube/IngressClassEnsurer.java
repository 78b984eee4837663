package io.k4j.ingress.kube;

import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.ingress.routing.IngressClassPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure our IngressClass exists, created as the cluster's default (as k3s ships traefik's). An existing one is
 * left as the administrator made it, so taking the default away from it sticks.
 */
public final class IngressClassEnsurer {

    private static final Logger LOG = LoggerFactory.getLogger(IngressClassEnsurer.class);

    private IngressClassEnsurer() {
    }

    public static void ensure(KubernetesClient client, IngressClassPolicy policy) {
        if (client.network().v1().ingressClasses().withName(policy.className()).get() != null) {
            return;
        }
        IngressClass ingressClass = new IngressClassBuilder()
                .withNewMetadata().withName(policy.className())
                .addToAnnotations(IngressClassPolicy.DEFAULT_CLASS_ANNOTATION, "true")
                .addToLabels("app.kubernetes.io/managed-by", "k4j")
                .endMetadata()
                .withNewSpec().withController(policy.controller()).endSpec()
                .build();
        try {
            client.network().v1().ingressClasses().resource(ingressClass).create();
            LOG.info("created IngressClass {} (default, controller {})", policy.className(), policy.controller());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }
}
