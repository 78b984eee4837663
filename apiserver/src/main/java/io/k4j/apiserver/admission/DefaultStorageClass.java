package io.k4j.apiserver.admission;

import io.k4j.apiserver.api.Json;
import java.util.Comparator;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's DefaultStorageClass plugin: a new PersistentVolumeClaim that names no storage class (the field absent or
 * null; "" explicitly asks for none) gets the default class, the one annotated
 * {@code storageclass.kubernetes.io/is-default-class: "true"} (or the beta annotation); of several, the newest.
 */
public final class DefaultStorageClass implements MutatingAdmission {

    static final ObjectLookup.Resource STORAGE_CLASSES = new ObjectLookup.Resource("storage.k8s.io", "v1",
            "storageclasses");
    static final String IS_DEFAULT = "storageclass.kubernetes.io/is-default-class";
    static final String IS_DEFAULT_BETA = "storageclass.beta.kubernetes.io/is-default-class";
    static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    @Override
    public boolean handles(Attributes attributes) {
        return attributes.operation() == Operation.CREATE && attributes.isResource("", "persistentvolumeclaims");
    }

    @Override
    public void admit(Attributes attributes, ObjectLookup lookup) {
        ObjectNode claim = attributes.object();
        JsonNode className = claim.path("spec").get("storageClassName");
        if ((className != null && !className.isNull())
                || claim.path("metadata").path("annotations").has(BETA_CLASS_ANNOTATION)) {
            return;
        }
        defaultClass(lookup).ifPresent(name -> Json.child(claim, "spec").put("storageClassName", name));
    }

    private static Optional<String> defaultClass(ObjectLookup lookup) {
        return lookup.list(STORAGE_CLASSES, "").stream().filter(DefaultStorageClass::isDefault)
                .sorted(Comparator.comparing((ObjectNode c) -> c.path("metadata").path("creationTimestamp").asString(""))
                        .reversed()
                        .thenComparing(c -> c.path("metadata").path("name").asString("")))
                .map(c -> c.path("metadata").path("name").asString("")).findFirst();
    }

    private static boolean isDefault(ObjectNode storageClass) {
        JsonNode annotations = storageClass.path("metadata").path("annotations");
        return "true".equals(annotations.path(IS_DEFAULT).asString(""))
                || "true".equals(annotations.path(IS_DEFAULT_BETA).asString(""));
    }
}
