package io.k4j.apiserver.crd;

import io.k4j.apiserver.openapi.CustomSchemas;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** What other parts of the server (OpenAPI publishing) may ask about custom resources. */
public final class CustomResources {

    private CustomResources() {
    }

    /** Whether a served resource comes from a CustomResourceDefinition. */
    public static boolean isCustom(ResourceRegistry registry, ResourceDefinition definition) {
        return CustomResourceDefinitions.strategyOf(registry, definition).isPresent();
    }

    /**
     * The openAPIV3Schema of the CRD version that serves {@code definition} (a copy), or empty for a built-in
     * resource.
     */
    public static Optional<ObjectNode> openApiSchema(ResourceRegistry registry, ResourceDefinition definition) {
        return CustomResourceDefinitions.strategyOf(registry, definition).map(CustomResourceStrategy::openApiSchema);
    }

    /** The CRDs' schemas for the OpenAPI documents and field validation, current with every registry change. */
    public static CustomSchemas openApiSchemas(ResourceRegistry registry) {
        return new CustomSchemas() {
            @Override
            public Optional<ObjectNode> openApiSchema(ResourceDefinition definition) {
                return CustomResources.openApiSchema(registry, definition);
            }

            @Override
            public long revision() {
                return registry.changes();
            }
        };
    }
}
