package io.k4j.apiserver.openapi;

import io.k4j.apiserver.registry.ResourceDefinition;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schemas of kinds that have no fabric8 model class, such as custom resources: the JSON schema of the whole object,
 * as a CRD version's {@code schema.openAPIV3Schema}. The OpenAPI documents and field validation ask this first.
 * When the answer changes (a CRD is updated), {@link #revision()} must change too so cached documents are rebuilt.
 */
public interface CustomSchemas {

    CustomSchemas NONE = definition -> Optional.empty();

    /** The object schema of {@code definition}'s kind, or empty to use the fabric8 model class (if any). */
    Optional<ObjectNode> openApiSchema(ResourceDefinition definition);

    /** Changes whenever any answer of {@link #openApiSchema} changes. */
    default long revision() {
        return 0;
    }
}
