package io.k4j.apiserver.admission;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Read access to stored objects for admission plugins (upstream's listers). */
public interface ObjectLookup {

    /** A resource by group, version and plural, such as scheduling.k8s.io/v1 priorityclasses. */
    record Resource(String group, String version, String plural) {
    }

    /** One object; namespace is "" for cluster-scoped resources. */
    Optional<ObjectNode> get(Resource resource, String namespace, String name);

    /** Every object of a resource in a namespace, or everywhere for "". */
    List<ObjectNode> list(Resource resource, String namespace);
}
