package io.k4j.kubelet.image;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads the parts of an OCI / docker image config that a container is built from. */
final class ImageConfigs {
    private ImageConfigs() {
    }

    static Image.ImageConfig from(JsonNode imageConfig) {
        JsonNode config = imageConfig.path("config");
        return new Image.ImageConfig(strings(config.path("Entrypoint")), strings(config.path("Cmd")),
                strings(config.path("Env")), text(config.path("WorkingDir")), text(config.path("User")),
                text(config.path("StopSignal")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            values.add(value.asString());
        }
        return List.copyOf(values);
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.asString().isEmpty() ? node.asString() : null;
    }
}
