package io.k4j.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.apiserver.api.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class KubeletLocationTest {

    private static ObjectNode node(String json) {
        return Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void prefersInternalIpThenHostnameAndReadsTheKubeletPort() {
        assertThat(KubeletLocation.of(node("{\"metadata\":{\"name\":\"n\"},\"status\":{\"addresses\":["
                + "{\"type\":\"Hostname\",\"address\":\"node-1\"},{\"type\":\"InternalIP\",\"address\":\"10.0.0.5\"}],"
                + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":10777}}}}")))
                .isEqualTo(new KubeletLocation("10.0.0.5", 10777));
        KubeletLocation byName = KubeletLocation.of(node("{\"status\":{\"addresses\":["
                + "{\"type\":\"Hostname\",\"address\":\"fd00::1\"}]}}"));
        assertThat(byName).isEqualTo(new KubeletLocation("fd00::1", 10250));
        assertThat(byName.authority()).isEqualTo("[fd00::1]:10250");
        assertThatThrownBy(() -> KubeletLocation.of(node("{\"status\":{}}")))
                .hasMessageContaining("no preferred addresses found");
    }

    @Test
    void queryKeepsRepeatedCommandsAndDropsTheContainer() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("command", List.of("sh", "-c", "echo a&b"));
        query.put("container", List.of("main"));
        query.put("stdout", List.of("true"));
        assertThat(KubeletLocation.query(query, List.of("container")))
                .isEqualTo("?command=sh&command=-c&command=echo%20a%26b&stdout=true");
    }
}
