package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.EventRecorder;
import io.k4j.kubelet.image.Image;
import io.k4j.kubelet.image.ImagePullException;
import io.k4j.kubelet.image.ImageService;
import io.k4j.kubelet.image.ImageService.RegistryCredential;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a container's image present according to its imagePullPolicy, with upstream's events (Pulling, Pulled,
 * "already present on machine", Failed) and the image pull back-off (ErrImagePull, then ImagePullBackOff).
 */
final class ImagePuller {

    /** Why the image is not there; the container waits with this reason. */
    static final class NotPulled extends Exception {
        private final Waiting waiting;
        private final Duration retryAfter;

        NotPulled(Waiting waiting, Duration retryAfter) {
            super(waiting.message());
            this.waiting = waiting;
            this.retryAfter = retryAfter;
        }

        Waiting waiting() {
            return waiting;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    private final KubernetesClient client;
    private final ImageService images;
    private final EventRecorder events;
    private final RestartBackoff backoff;
    private final InstantSource clock;

    ImagePuller(KubernetesClient client, ImageService images, EventRecorder events, RestartBackoff backoff,
            InstantSource clock) {
        this.client = client;
        this.images = images;
        this.events = events;
        this.backoff = backoff;
        this.clock = clock;
    }

    Image ensure(Pod pod, Container container) throws NotPulled {
        String reference = container.getImage();
        String policy = pullPolicy(container);
        Optional<Image> present = images.find(reference);
        if (present.isPresent() && !"Always".equals(policy)) {
            events.normal(pod, "Pulled", "Container image \"" + reference + "\" already present on machine");
            return present.get();
        }
        if ("Never".equals(policy)) {
            String message = "Container image \"" + reference
                    + "\" is not present with pull policy of Never";
            events.warning(pod, "ErrImageNeverPull", message);
            throw new NotPulled(new Waiting(Waiting.ERR_IMAGE_NEVER_PULL, message), RestartBackoff.INITIAL);
        }
        String key = backoffKey(pod, container);
        Optional<Duration> wait = backoff.remaining(key);
        if (wait.isPresent()) {
            String message = "Back-off pulling image \"" + reference + "\"";
            events.normal(pod, "BackOff", message);
            throw new NotPulled(new Waiting(Waiting.IMAGE_PULL_BACK_OFF, message), wait.get());
        }
        events.normal(pod, "Pulling", "Pulling image \"" + reference + "\"");
        Instant start = clock.instant();
        try {
            Image image = images.pull(reference, credentials(pod));
            Duration took = Duration.between(start, clock.instant());
            events.normal(pod, "Pulled", "Successfully pulled image \"" + reference + "\" in " + seconds(took)
                    + " (" + seconds(took) + " including waiting). Image size: " + image.size() + " bytes.");
            backoff.forget(key);
            return image;
        } catch (ImagePullException e) {
            backoff.tried(key);
            String message = "Failed to pull image \"" + reference + "\": " + e.getMessage();
            events.warning(pod, "Failed", message);
            events.warning(pod, "Failed", "Error: " + Waiting.ERR_IMAGE_PULL);
            throw new NotPulled(new Waiting(Waiting.ERR_IMAGE_PULL, message), backoff.current(key));
        }
    }

    static String backoffKey(Pod pod, Container container) {
        return pod.getMetadata().getUid() + "/pull/" + container.getName();
    }

    /** The policy the API server defaulted, or upstream's default for it: Always for :latest or no tag. */
    static String pullPolicy(Container container) {
        if (container.getImagePullPolicy() != null && !container.getImagePullPolicy().isEmpty()) {
            return container.getImagePullPolicy();
        }
        String image = container.getImage();
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        boolean tagged = colon > slash;
        return !tagged || image.endsWith(":latest") ? "Always" : "IfNotPresent";
    }

    private List<RegistryCredential> credentials(Pod pod) {
        List<RegistryCredential> credentials = new ArrayList<>();
        List<LocalObjectReference> secrets = pod.getSpec().getImagePullSecrets();
        if (secrets == null) {
            return credentials;
        }
        for (LocalObjectReference reference : secrets) {
            Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace())
                    .withName(reference.getName()).get();
            if (secret != null && secret.getData() != null) {
                credentials.addAll(DockerConfigs.parse(client, secret.getData()));
            }
        }
        return credentials;
    }

    private static String seconds(Duration duration) {
        return String.format("%.3fs", duration.toMillis() / 1000.0);
    }

    /** Registry credentials from a kubernetes.io/dockerconfigjson (or legacy dockercfg) secret. */
    static final class DockerConfigs {
        private DockerConfigs() {
        }

        @SuppressWarnings("unchecked")
        static List<RegistryCredential> parse(KubernetesClient client, Map<String, String> data) {
            List<RegistryCredential> credentials = new ArrayList<>();
            String json = data.containsKey(".dockerconfigjson") ? data.get(".dockerconfigjson") : data.get(".dockercfg");
            if (json == null) {
                return credentials;
            }
            Map<String, Object> config = client.getKubernetesSerialization().unmarshal(
                    new String(Base64.getDecoder().decode(json), StandardCharsets.UTF_8), Map.class);
            Map<String, Object> auths = config.containsKey("auths") ? (Map<String, Object>) config.get("auths") : config;
            for (Map.Entry<String, Object> entry : auths.entrySet()) {
                if (!(entry.getValue() instanceof Map<?, ?> auth)) {
                    continue;
                }
                String username = (String) auth.get("username");
                String password = (String) auth.get("password");
                if ((username == null || password == null) && auth.get("auth") instanceof String encoded) {
                    String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    if (colon > 0) {
                        username = decoded.substring(0, colon);
                        password = decoded.substring(colon + 1);
                    }
                }
                if (username != null && password != null) {
                    credentials.add(new RegistryCredential(registryHost(entry.getKey()), username, password));
                }
            }
            return credentials;
        }

        /** "https://index.docker.io/v1/" and "registry:5000" both name a host. */
        static String registryHost(String key) {
            String host = key.replaceFirst("^https?://", "");
            int slash = host.indexOf('/');
            host = slash >= 0 ? host.substring(0, slash) : host;
            return host.equals("index.docker.io") ? "docker.io" : host;
        }
    }
}
