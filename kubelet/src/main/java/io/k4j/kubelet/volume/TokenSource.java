package io.k4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;

/** Service-account tokens for projected volumes, bound to the pod that mounts them (upstream's TokenRequest). */
@FunctionalInterface
public interface TokenSource {

    /** A token and when it expires. */
    record Token(String token, Instant expires) {
    }

    /**
     * A token of {@code serviceAccount}, bound to {@code pod}.
     *
     * @param audiences         empty for the API server's own audiences
     * @param expirationSeconds null for the API server's default
     */
    Token request(String namespace, String serviceAccount, List<String> audiences, Long expirationSeconds, Pod pod)
            throws Exception;

    /** Tokens from the API server: POST serviceaccounts/NAME/token with a Pod boundObjectRef. */
    static TokenSource of(KubernetesClient client) {
        return (namespace, serviceAccount, audiences, expirationSeconds, pod) -> {
            TokenRequest request = new TokenRequestBuilder().withNewSpec()
                    .withAudiences(audiences).withExpirationSeconds(expirationSeconds)
                    .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                    .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                    .endSpec().build();
            TokenRequest issued = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                    .tokenRequest(request);
            return new Token(issued.getStatus().getToken(), Instant.parse(issued.getStatus().getExpirationTimestamp()));
        };
    }
}
