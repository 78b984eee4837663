package io.k4j.apiserver.admission;

import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Stored objects for plugin tests: cluster-scoped objects of one resource each, given as JSON with ' for ". */
final class FakeLookup implements ObjectLookup {

    private final Resource resource;
    private final List<ObjectNode> objects = new ArrayList<>();

    FakeLookup(Resource resource, String... json) {
        this.resource = resource;
        for (String object : json) {
            objects.add(obj(object));
        }
    }

    static ObjectNode obj(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<ObjectNode> get(Resource wanted, String namespace, String name) {
        return list(wanted, namespace).stream()
                .filter(object -> object.path("metadata").path("name").asString("").equals(name)).findFirst();
    }

    @Override
    public List<ObjectNode> list(Resource wanted, String namespace) {
        return wanted.equals(resource) ? objects.stream().map(ObjectNode::deepCopy).toList() : List.of();
    }
}
