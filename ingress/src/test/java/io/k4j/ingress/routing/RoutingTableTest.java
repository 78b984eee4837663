package io.k4j.ingress.routing;

import static io.k4j.ingress.Fixtures.ingress;
import static io.k4j.ingress.Fixtures.service;
import static io.k4j.ingress.Fixtures.slice;
import static io.k4j.ingress.Fixtures.withDefaultBackend;
import static io.k4j.ingress.Fixtures.withTls;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.k4j.ingress.Fixtures.PathSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private static final IngressClassPolicy POLICY = new IngressClassPolicy("k4j", "k4j.io/ingress-controller");
    private static final String NS = "web";

    private static final List<io.fabric8.kubernetes.api.model.Service> SERVICES = List.of(
            service(NS, "svc-a", Map.of("http", new int[] {80, 8080})),
            service(NS, "svc-b", Map.of("http", new int[] {80, 9090}, "admin", new int[] {81, 9091})),
            service(NS, "svc-c", Map.of("", new int[] {80, 7070})),
            service(NS, "svc-empty", Map.of("", new int[] {80, 80})));

    private static final List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> SLICES = List.of(
            slice(NS, "svc-a", "svc-a-1", "http", 8080, List.of("10.42.0.1", "10.42.0.2"), List.of("10.42.0.3")),
            slice(NS, "svc-b", "svc-b-1", "http", 9090, List.of("10.42.0.5"), List.of()),
            slice(NS, "svc-b", "svc-b-2", "admin", 9091, List.of("10.42.0.6"), List.of()),
            slice(NS, "svc-c", "svc-c-1", "", 7070, List.of("10.42.0.7"), List.of()),
            slice(NS, "svc-empty", "svc-empty-1", "", 80, List.of(), List.of("10.42.0.9")),
            // Another Service's slice with the same port name must not leak into svc-a.
            slice("other", "svc-a", "svc-a-other", "http", 8080, List.of("10.42.9.9"), List.of()));

    private static final Ingress MAIN = withDefaultBackend(ingress(NS, "main", "k4j", "2026-01-01T00:00:00Z",
            List.of(new PathSpec("foo.example.com", "Prefix", "/", "svc-a", 80),
                    new PathSpec("foo.example.com", "Prefix", "/api", "svc-b", "http"),
                    new PathSpec("foo.example.com", "Exact", "/api", "svc-c", 80),
                    new PathSpec("foo.example.com", "ImplementationSpecific", "/docs/", "svc-c", 80),
                    new PathSpec("*.example.com", "Prefix", "/", "svc-b", 80),
                    new PathSpec("", "Prefix", "/static", "svc-c", 80),
                    new PathSpec("bar.example.com", "Prefix", "/empty", "svc-empty", 80),
                    new PathSpec("bar.example.com", "Prefix", "/admin", "svc-b", 81),
                    new PathSpec("bar.example.com", "Prefix", "/gone", "svc-missing", 80),
                    new PathSpec("bar.example.com", "Prefix", "/noport", "svc-a", 9999))),
            "svc-a", "http");

    /** Younger and conflicting with MAIN on foo.example.com "/": the older rule wins. */
    private static final Ingress YOUNGER = ingress(NS, "younger", "k4j", "2026-02-01T00:00:00Z",
            List.of(new PathSpec("foo.example.com", "Prefix", "/", "svc-c", 80),
                    new PathSpec("foo.example.com", "Prefix", "/young", "svc-c", 80)));

    private static final Ingress FOREIGN = ingress(NS, "foreign", "nginx", "2025-01-01T00:00:00Z",
            List.of(new PathSpec("foo.example.com", "Prefix", "/foreign", "svc-c", 80)));

    private static RoutingTable table(List<Ingress> ingresses, List<IngressClass> classes) {
        return new RoutingTableBuilder(POLICY).build(new ClusterState(ingresses, classes, SERVICES, SLICES));
    }

    private static String describe(RouteMatch match) {
        if (!(match instanceof RouteMatch.Found found)) {
            return "404";
        }
        String endpoints = found.backend().endpoints().stream()
                .map(address -> address.getAddress().getHostAddress() + ":" + address.getPort())
                .collect(Collectors.joining(" "));
        return found.backend().key() + " [" + endpoints + "]";
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            foo.example.com       | /                | web/svc-a:80 [10.42.0.1:8080 10.42.0.2:8080]
            FOO.Example.com:8080  | /x/y?q=/api      | web/svc-a:80 [10.42.0.1:8080 10.42.0.2:8080]
            foo.example.com       | /api             | web/svc-c:80 [10.42.0.7:7070]
            foo.example.com       | /api?x=1         | web/svc-c:80 [10.42.0.7:7070]
            foo.example.com       | /api/            | web/svc-b:http [10.42.0.5:9090]
            foo.example.com       | /api/v1/users    | web/svc-b:http [10.42.0.5:9090]
            foo.example.com       | /apiv1           | web/svc-a:80 [10.42.0.1:8080 10.42.0.2:8080]
            foo.example.com       | /api//v1         | web/svc-b:http [10.42.0.5:9090]
            foo.example.com       | //api            | web/svc-b:http [10.42.0.5:9090]
            foo.example.com       | /docs            | web/svc-c:80 [10.42.0.7:7070]
            foo.example.com       | /docs/a          | web/svc-c:80 [10.42.0.7:7070]
            foo.example.com       | /young           | web/svc-c:80 [10.42.0.7:7070]
            foo.example.com       | /foreign         | web/svc-a:80 [10.42.0.1:8080 10.42.0.2:8080]
            foo.example.com       | http://foo.example.com/api?x | web/svc-c:80 [10.42.0.7:7070]
            x.example.com         | /anything        | web/svc-b:80 [10.42.0.5:9090]
            a.b.example.com       | /static/app.js   | web/svc-c:80 [10.42.0.7:7070]
            example.com           | /static          | web/svc-c:80 [10.42.0.7:7070]
            example.com           | /staticx         | web/svc-a:http [10.42.0.1:8080 10.42.0.2:8080]
            other.org             | /                | web/svc-a:http [10.42.0.1:8080 10.42.0.2:8080]
            bar.example.com       | /empty/x         | web/svc-empty:80 []
            bar.example.com       | /admin           | web/svc-b:81 [10.42.0.6:9091]
            bar.example.com       | /gone            | web/svc-missing:80 []
            bar.example.com       | /noport          | web/svc-a:9999 []
            bar.example.com       | /static          | web/svc-a:http [10.42.0.1:8080 10.42.0.2:8080]
            """)
    void routesByHostThenLongestPath(String host, String target, String expected) {
        RoutingTable table = table(List.of(YOUNGER, MAIN, FOREIGN), List.of());
        assertThat(describe(table.route(host, target))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            foo.example.com | /          | web/svc-a:80 [10.42.0.1:8080 10.42.0.2:8080]
            other.org       | /          | 404
            example.com     | /staticx   | 404
            bar.example.com | /elsewhere | 404
            ''              | /          | 404
            """)
    void withoutDefaultBackendUnmatchedRequestsAreNotFound(String host, String target, String expected) {
        Ingress noDefault = new IngressBuilder(MAIN).editSpec().withDefaultBackend(null).endSpec().build();
        assertThat(describe(table(List.of(noDefault), List.of()).route(host, target))).isEqualTo(expected);
    }

    @Test
    void recordsWhatCannotBeServedAndWhichIngressesAreServed() {
        RoutingTable table = table(List.of(YOUNGER, MAIN, FOREIGN), List.of());
        assertThat(table.servedIngresses()).containsExactlyInAnyOrder("web/main", "web/younger");
        assertThat(table.problems()).containsExactlyInAnyOrder(
                "ingress web/main: service web/svc-missing does not exist",
                "ingress web/main: service web/svc-a has no port 9999",
                "ingress web/younger: path / of host foo.example.com is served by an older Ingress");
    }

    @ParameterizedTest(name = "ingressClassName={0} annotation={1} default={2} -> served={3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            k4j   | -     | false | true
            nginx | -     | true  | false
            -     | -     | true  | true
            -     | -     | false | false
            -     | k4j   | false | true
            -     | nginx | true  | false
            mine  | -     | false | true
            """)
    void servesItsClassesAndClasslessIngressesWhenDefault(String className, String annotation, boolean isDefault,
                                                          boolean served) {
        IngressBuilder builder = new IngressBuilder(ingress(NS, "x", className, "2026-01-01T00:00:00Z", List.of()));
        if (annotation != null) {
            builder.editMetadata().addToAnnotations(IngressClassPolicy.LEGACY_CLASS_ANNOTATION, annotation)
                    .endMetadata();
        }
        List<IngressClass> classes = List.of(
                ingressClass("k4j", "k4j.io/ingress-controller", isDefault),
                ingressClass("mine", "k4j.io/ingress-controller", false),
                ingressClass("nginx", "k8s.io/ingress-nginx", false));
        assertThat(table(List.of(builder.build()), classes).servedIngresses().contains("web/x")).isEqualTo(served);
    }

    private static IngressClass ingressClass(String name, String controller, boolean isDefault) {
        return new IngressClassBuilder().withNewMetadata().withName(name)
                .addToAnnotations(IngressClassPolicy.DEFAULT_CLASS_ANNOTATION, String.valueOf(isDefault))
                .endMetadata().withNewSpec().withController(controller).endSpec().build();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            foo.example.com     | web/foo-tls
            FOO.example.com     | web/foo-tls
            x.example.com       | web/wild-tls
            a.b.example.com     | -
            example.com         | -
            -                   | -
            """)
    void picksTheCertificateByServerNameExactBeforeWildcard(String serverName, String expected) {
        Ingress tls = withTls(withTls(MAIN, "foo-tls", "foo.example.com"), "wild-tls", "*.example.com");
        RoutingTable table = table(List.of(tls), List.of());
        assertThat(table.certificateFor(serverName).map(SecretRef::toString).orElse(null)).isEqualTo(expected);
    }
}
