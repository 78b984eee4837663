package io.k4j.ingress;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpecBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.k4j.pki.IssuedCertificate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Kubernetes objects for the ingress tests, small enough to read in a table. */
public final class Fixtures {

    private Fixtures() {
    }

    /** One path of one rule of an Ingress. */
    public record PathSpec(String host, String pathType, String path, String service, Object port) {
    }

    public static IngressBackend backend(String service, Object port) {
        IngressBackendBuilder builder = new IngressBackendBuilder();
        if (port instanceof Integer number) {
            return builder.withNewService().withName(service).withNewPort().withNumber(number).endPort().endService()
                    .build();
        }
        return builder.withNewService().withName(service).withNewPort().withName((String) port).endPort()
                .endService().build();
    }

    public static Ingress ingress(String namespace, String name, String className, String created,
                                  List<PathSpec> paths) {
        IngressSpecBuilder spec = new IngressSpecBuilder().withIngressClassName(className);
        for (PathSpec path : paths) {
            spec.addToRules(new IngressRuleBuilder().withHost(path.host()).withNewHttp()
                    .addToPaths(new HTTPIngressPathBuilder().withPath(path.path()).withPathType(path.pathType())
                            .withBackend(backend(path.service(), path.port())).build())
                    .endHttp().build());
        }
        return new IngressBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .withCreationTimestamp(created).endMetadata().withSpec(spec.build()).build();
    }

    public static Ingress withTls(Ingress ingress, String secretName, String... hosts) {
        return new IngressBuilder(ingress).editSpec()
                .addToTls(new IngressTLSBuilder().withSecretName(secretName).withHosts(hosts).build())
                .endSpec().build();
    }

    public static Ingress withDefaultBackend(Ingress ingress, String service, Object port) {
        return new IngressBuilder(ingress).editSpec().withDefaultBackend(backend(service, port)).endSpec().build();
    }

    /** A Service with named TCP ports: name -> (port, targetPort). */
    public static Service service(String namespace, String name, Map<String, int[]> ports) {
        ServiceBuilder builder = new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .endMetadata().withNewSpec().endSpec();
        ports.forEach((portName, numbers) -> builder.editSpec().addNewPort().withName(portName.isEmpty() ? null
                        : portName).withPort(numbers[0]).withTargetPort(new IntOrString(numbers[1]))
                .withProtocol("TCP").endPort().endSpec());
        return builder.build();
    }

    /** An EndpointSlice of a Service: one port (name, number), addresses ready unless listed in notReady. */
    public static EndpointSlice slice(String namespace, String service, String sliceName, String portName, int port,
                                      List<String> ready, List<String> notReady) {
        List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints = new ArrayList<>();
        ready.forEach(address -> endpoints.add(new EndpointBuilder().withAddresses(address).withNewConditions()
                .withReady(true).endConditions().build()));
        notReady.forEach(address -> endpoints.add(new EndpointBuilder().withAddresses(address).withNewConditions()
                .withReady(false).endConditions().build()));
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName(sliceName)
                .addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4").addNewPort().withName(portName.isEmpty() ? null : portName).withPort(port)
                .withProtocol("TCP").endPort().withEndpoints(endpoints).build();
    }

    public static Secret tlsSecret(String namespace, String name, IssuedCertificate certificate) {
        return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(certificate.certificatePem()))
                .addToData("tls.key", base64(certificate.privateKeyPem()))
                .build();
    }

    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
