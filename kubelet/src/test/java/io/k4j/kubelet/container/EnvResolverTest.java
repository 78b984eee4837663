package io.k4j.kubelet.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelectorBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

    private static final EnvResolver.NodeFacts FACTS = new EnvResolver.NodeFacts(List.of("10.42.0.7", "fd00::7"),
            List.of("192.168.1.5", "fd01::5"), Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"),
            "ephemeral-storage", new Quantity("100Gi")));

    private final FakeApiObjects objects = new FakeApiObjects();
    private final EnvResolver resolver = new EnvResolver(objects);

    private static Pod pod(Container container) {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("uid-1")
                .addToLabels("app", "web").addToLabels("tier", "front")
                .addToAnnotations("note", "say \"hi\"").endMetadata()
                .withNewSpec().withNodeName("node-a").withServiceAccountName("builder").withContainers(container)
                .withEnableServiceLinks(false).endSpec().build();
    }

    private EnvResolver.ContainerEnv resolve(Container container) throws Exception {
        return resolver.resolve(pod(container), container, List.of(), FACTS);
    }

    private static Container container(EnvVar... env) {
        return new ContainerBuilder().withName("app").withImage("busybox").withEnv(env).build();
    }

    private static EnvVar value(String name, String value) {
        return new EnvVar(name, value, null);
    }

    private static EnvVar field(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    private static EnvVar resource(String name, String resource, String divisor) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withResourceFieldRef(
                new ResourceFieldSelectorBuilder().withResource(resource)
                        .withDivisor(divisor == null ? null : new Quantity(divisor)).build()).endValueFrom().build();
    }

    @Test
    void valuesExpandEarlierVariablesOnly() throws Exception {
        var env = resolve(container(value("A", "a"), value("B", "$(A)-b"), value("C", "$(D)-c"), value("D", "d"),
                value("E", "$$(A)"), value("F", "")));
        assertThat(env.env()).containsExactly("A=a", "B=a-b", "C=$(D)-c", "D=d", "E=$(A)", "F=");
        assertThat(env.variables()).containsEntry("B", "a-b");
    }

    @Test
    void fieldRefs() throws Exception {
        var env = resolve(container(field("NAME", "metadata.name"), field("NS", "metadata.namespace"),
                field("UID", "metadata.uid"), field("APP", "metadata.labels['app']"),
                field("NONE", "metadata.labels['none']"), field("NOTE", "metadata.annotations['note']"),
                field("NODE", "spec.nodeName"), field("SA", "spec.serviceAccountName"),
                field("HOST_IP", "status.hostIP"), field("HOST_IPS", "status.hostIPs"),
                field("POD_IP", "status.podIP"), field("POD_IPS", "status.podIPs")));
        assertThat(env.env()).containsExactly("NAME=web-1", "NS=shop", "UID=uid-1", "APP=web", "NONE=",
                "NOTE=say \"hi\"", "NODE=node-a", "SA=builder", "HOST_IP=192.168.1.5", "HOST_IPS=192.168.1.5,fd01::5",
                "POD_IP=10.42.0.7", "POD_IPS=10.42.0.7,fd00::7");
    }

    @Test
    void allLabelsAndAnnotationsAreSortedQuotedLines() throws Exception {
        Container container = container();
        assertThat(FieldPaths.metadataValue(pod(container), "metadata.labels")).isEqualTo("app=\"web\"\ntier=\"front\"");
        assertThat(FieldPaths.metadataValue(pod(container), "metadata.annotations")).isEqualTo("note=\"say \\\"hi\\\"\"");
        assertThatThrownBy(() -> FieldPaths.metadataValue(pod(container), "spec.bogus"))
                .hasMessage("unsupported fieldPath: spec.bogus");
    }

    @Test
    void resourceFieldsRoundUpAndDefaultToAllocatable() throws Exception {
        Container container = container(resource("CPU_LIMIT", "limits.cpu", null),
                resource("CPU_LIMIT_M", "limits.cpu", "1m"), resource("CPU_REQ", "requests.cpu", null),
                resource("CPU_REQ_M", "requests.cpu", "1m"), resource("MEM_LIMIT", "limits.memory", null),
                resource("MEM_LIMIT_MI", "limits.memory", "1Mi"), resource("MEM_REQ_MI", "requests.memory", "1Mi"),
                resource("EPH_LIMIT_GI", "limits.ephemeral-storage", "1Gi"),
                resource("EPH_REQ", "requests.ephemeral-storage", null));
        container.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("100M"))
                .addToLimits("memory", new Quantity("129M")).build());
        var env = resolve(container);
        assertThat(env.env()).containsExactly("CPU_LIMIT=2", "CPU_LIMIT_M=2000", "CPU_REQ=1", "CPU_REQ_M=250",
                "MEM_LIMIT=129000000", "MEM_LIMIT_MI=124", "MEM_REQ_MI=96", "EPH_LIMIT_GI=100", "EPH_REQ=0");
        assertThatThrownBy(() -> resolve(container(resource("X", "limits.gpu", null))))
                .isInstanceOf(ContainerConfigException.class).hasMessage("unsupported container resource : limits.gpu");
    }

    @Test
    void configMapAndSecretKeys() throws Exception {
        objects.configMap("shop", "settings", Map.of("mode", "fast"));
        objects.secret("shop", "creds", Map.of("password", "s3cret"));
        var env = resolve(container(
                new EnvVarBuilder().withName("MODE").withNewValueFrom().withNewConfigMapKeyRef("mode", "settings", null)
                        .endValueFrom().build(),
                new EnvVarBuilder().withName("PASS").withNewValueFrom().withNewSecretKeyRef("password", "creds", null)
                        .endValueFrom().build(),
                new EnvVarBuilder().withName("OPT").withNewValueFrom().withNewConfigMapKeyRef("nope", "settings", true)
                        .endValueFrom().build(),
                new EnvVarBuilder().withName("OPT2").withNewValueFrom().withNewSecretKeyRef("x", "missing", true)
                        .endValueFrom().build(),
                value("BOTH", "$(MODE)/$(PASS)")));
        assertThat(env.env()).containsExactly("MODE=fast", "PASS=s3cret", "BOTH=fast/s3cret");
    }

    @Test
    void missingRequiredSourcesAreUpstreamsErrors() {
        objects.configMap("shop", "settings", Map.of("mode", "fast"));
        objects.secret("shop", "creds", Map.of());
        assertThatThrownBy(() -> resolve(container(new EnvVarBuilder().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("mode", "absent", null).endValueFrom().build())))
                .isInstanceOf(ContainerConfigException.class).hasMessage("configmap \"absent\" not found");
        assertThatThrownBy(() -> resolve(container(new EnvVarBuilder().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("speed", "settings", false).endValueFrom().build())))
                .hasMessage("couldn't find key speed in ConfigMap shop/settings");
        assertThatThrownBy(() -> resolve(container(new EnvVarBuilder().withName("X").withNewValueFrom()
                .withNewSecretKeyRef("password", "creds", null).endValueFrom().build())))
                .hasMessage("couldn't find key password in Secret shop/creds");
        assertThatThrownBy(() -> resolve(container(new EnvVarBuilder().withName("X").withNewValueFrom()
                .withNewSecretKeyRef("password", "nosecret", null).endValueFrom().build())))
                .hasMessage("secret \"nosecret\" not found");
    }

    @Test
    void envFromWithPrefixSkipsInvalidNamesAndEnvOverrides() throws Exception {
        objects.configMap("shop", "settings", new java.util.TreeMap<>(Map.of("mode", "fast", "1bad", "x", "a=b", "y")));
        objects.secret("shop", "creds", Map.of("token", "t"));
        Container container = new ContainerBuilder().withName("app")
                .addNewEnvFrom().withNewConfigMapRef("settings", null).endEnvFrom()
                .addNewEnvFrom().withPrefix("S_").withNewSecretRef("creds", null).endEnvFrom()
                .addNewEnvFrom().withNewConfigMapRef("optional-missing", true).endEnvFrom()
                .withEnv(value("mode", "slow"), value("T", "$(S_token)")).build();
        var env = resolve(container);
        assertThat(env.env()).containsExactly("mode=slow", "S_token=t", "T=t");
        assertThat(env.warnings()).containsExactly("Keys [1bad, a=b] from the EnvFrom configMap shop/settings were "
                + "skipped since they are considered invalid environment variable names.");
        Container required = new ContainerBuilder().withName("app")
                .addNewEnvFrom().withNewSecretRef("gone", null).endEnvFrom().build();
        assertThatThrownBy(() -> resolve(required)).hasMessage("secret \"gone\" not found");
    }

    @Test
    void serviceLinksAndTheKubernetesServiceAlways() throws Exception {
        objects.add(new ServiceBuilder().withNewMetadata().withNamespace("default").withName("kubernetes").endMetadata()
                .withNewSpec().withClusterIP("10.43.0.1").addNewPort().withName("https").withPort(443)
                .withProtocol("TCP").endPort().endSpec().build());
        objects.add(new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("redis-main").endMetadata()
                .withNewSpec().withClusterIP("10.43.0.9").addNewPort().withPort(6379).endPort()
                .addNewPort().withName("metrics").withPort(9121).withProtocol("UDP").endPort().endSpec().build());
        objects.add(new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("headless").endMetadata()
                .withNewSpec().withClusterIP("None").addNewPort().withPort(80).endPort().endSpec().build());
        Container container = container(value("OWN", "$(REDIS_MAIN_SERVICE_HOST)"));
        Pod linked = pod(container);
        linked.getSpec().setEnableServiceLinks(null);
        var env = resolver.resolve(linked, container, List.of(), FACTS);
        assertThat(env.env()).containsExactly("OWN=10.43.0.9",
                "KUBERNETES_SERVICE_HOST=10.43.0.1", "KUBERNETES_SERVICE_PORT=443",
                "KUBERNETES_SERVICE_PORT_HTTPS=443", "KUBERNETES_PORT=tcp://10.43.0.1:443",
                "KUBERNETES_PORT_443_TCP=tcp://10.43.0.1:443", "KUBERNETES_PORT_443_TCP_PROTO=tcp",
                "KUBERNETES_PORT_443_TCP_PORT=443", "KUBERNETES_PORT_443_TCP_ADDR=10.43.0.1",
                "REDIS_MAIN_SERVICE_HOST=10.43.0.9", "REDIS_MAIN_SERVICE_PORT=6379",
                "REDIS_MAIN_SERVICE_PORT_METRICS=9121", "REDIS_MAIN_PORT=tcp://10.43.0.9:6379",
                "REDIS_MAIN_PORT_6379_TCP=tcp://10.43.0.9:6379", "REDIS_MAIN_PORT_6379_TCP_PROTO=tcp",
                "REDIS_MAIN_PORT_6379_TCP_PORT=6379", "REDIS_MAIN_PORT_6379_TCP_ADDR=10.43.0.9",
                "REDIS_MAIN_PORT_9121_UDP=udp://10.43.0.9:9121", "REDIS_MAIN_PORT_9121_UDP_PROTO=udp",
                "REDIS_MAIN_PORT_9121_UDP_PORT=9121", "REDIS_MAIN_PORT_9121_UDP_ADDR=10.43.0.9");
        // Without service links only the kubernetes service's variables come.
        var unlinked = resolve(container(value("OWN", "$(REDIS_MAIN_SERVICE_HOST)")));
        assertThat(unlinked.env()).contains("OWN=$(REDIS_MAIN_SERVICE_HOST)", "KUBERNETES_SERVICE_HOST=10.43.0.1")
                .noneMatch(entry -> entry.startsWith("REDIS"));
    }

    @Test
    void imageEnvIsOverriddenInPlace() throws Exception {
        Container container = container(value("PATH", "/custom"), value("NEW", "1"));
        var env = resolver.resolve(pod(container), container, List.of("PATH=/usr/bin", "HOME=/root", "BARE"), FACTS);
        assertThat(env.env()).containsExactly("PATH=/custom", "HOME=/root", "BARE=", "NEW=1");
        assertThat(env.variables()).doesNotContainKey("HOME");
    }
}
