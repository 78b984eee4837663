package io.k4j.apiserver.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.selection.Selectors;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class CachedObjectTest {

    private static ObjectNode pod() {
        return Json.parseObject("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"default",
                 "resourceVersion":"42","labels":{"app":"web"}},"spec":{"nodeName":"node-a"}}
                """.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheJsonAndResourceVersionAndHandsOutTheTreeItWasMadeFrom() {
        ObjectNode object = pod();
        CachedObject cached = new CachedObject(object);
        assertThat(cached.json()).isEqualTo(Json.bytes(object));
        assertThat(cached.resourceVersion()).isEqualTo(42);
        assertThat(cached.object()).isSameAs(object);
    }

    @Test
    void aCollectedTreeIsParsedAgainFromTheJson() {
        ObjectNode object = pod();
        CachedObject cached = new CachedObject(object);
        cached.forgetTree();
        ObjectNode again = cached.object();
        assertThat(again).isNotSameAs(object).isEqualTo(object);
        assertThat(cached.object()).as("kept until the next collection").isSameAs(again);
        // Selectors read the parsed tree like the original one.
        assertThat(Selectors.fromQuery("app=web", "spec.nodeName=node-a", "", "Pod").matches(cached.object()))
                .isTrue();
    }

    @Test
    void anObjectWithoutAResourceVersionHasZero() {
        ObjectNode object = pod();
        Json.metadata(object).remove("resourceVersion");
        assertThat(new CachedObject(object).resourceVersion()).isZero();
    }
}
