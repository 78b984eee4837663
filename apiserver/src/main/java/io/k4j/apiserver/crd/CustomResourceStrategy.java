package io.k4j.apiserver.crd;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceStrategy;
import io.k4j.apiserver.selection.FieldLabels;
import io.k4j.apiserver.table.TableConvertor;
import java.util.List;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strategy of one served version of a custom resource: pruning and defaulting against the version's
 * structural schema, then validation; the status subresource's split (the main resource never changes the
 * status); generation that counts changes other than metadata (and status); read-time defaults; the printer
 * columns and the scale paths. Conversion is "None": only apiVersion changes between versions.
 */
public final class CustomResourceStrategy implements ResourceStrategy {

    private final ResourceDefinition definition;
    private final String crdName;
    private final ObjectNode version;
    private final SchemaValidator schema;
    private final PrinterColumns columns;
    private final ScalePaths scalePaths;
    private final BooleanSupplier terminating;
    private final String storageApiVersion;
    private final FieldLabels fieldLabels;

    CustomResourceStrategy(ResourceDefinition definition, String crdName, ObjectNode version,
                           String storageVersion, BooleanSupplier terminating) {
        this.definition = definition;
        this.storageApiVersion = definition.group() + "/" + storageVersion;
        this.crdName = crdName;
        this.version = version;
        JsonNode openApi = version.path("schema").path("openAPIV3Schema");
        this.schema = new SchemaValidator(openApi instanceof ObjectNode object ? object : Json.object());
        this.columns = new PrinterColumns(version.path("additionalPrinterColumns"));
        JsonNode scale = version.path("subresources").path("scale");
        this.scalePaths = scale.isObject()
                ? new ScalePaths(scale.path("specReplicasPath").asString(".spec.replicas"),
                        scale.path("statusReplicasPath").asString(null), scale.path("labelSelectorPath").asString(null))
                : null;
        this.terminating = terminating;
        List<String> selectable = new java.util.ArrayList<>();
        version.path("selectableFields").forEach(field -> selectable.add(field.path("jsonPath").asString("")));
        this.fieldLabels = FieldLabels.forCustomResource(definition.namespaced(), selectable);
    }

    /** The version's openAPIV3Schema (for OpenAPI publishing). */
    public ObjectNode openApiSchema() {
        return schema.schema().deepCopy();
    }

    public String crdName() {
        return crdName;
    }

    private boolean hasStatus() {
        return version.path("subresources").path("status").isObject();
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (terminating.getAsBoolean()) {
            throw ApiException.methodNotAllowed("create not allowed while custom resource definition is terminating");
        }
        if (hasStatus()) {
            object.remove("status");
        }
        Json.metadata(object).put("generation", 1);
        normalize(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        normalize(object);
        ObjectNode before = old.deepCopy();
        ObjectNode after = object.deepCopy();
        before.remove("metadata");
        after.remove("metadata");
        if (hasStatus()) {
            before.remove("status");
            after.remove("status");
        }
        long generation = old.path("metadata").path("generation").asLong(1);
        Json.metadata(object).put("generation", after.equals(before) ? generation : generation + 1);
    }

    /**
     * Pruning and defaulting, and the storage version's apiVersion (conversion "None" changes nothing else);
     * idempotent, so also run before validation, which covers /status writes.
     */
    private void normalize(ObjectNode object) {
        object.put("apiVersion", storageApiVersion);
        schema.prune(object);
        schema.applyDefaults(object);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        normalize(object);
        return schema.validate(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return validate(object);
    }

    @Override
    public boolean rewritesReads() {
        return true;
    }

    @Override
    public ObjectNode prepareForRead(ObjectNode stored) {
        ObjectNode copy = stored.deepCopy();
        copy.put("apiVersion", definition.apiVersion());
        copy.put("kind", definition.kind());
        schema.applyDefaults(copy);
        return copy;
    }

    @Override
    public TableConvertor tableConvertor() {
        return columns;
    }

    @Override
    public boolean supportsStrategicMergePatch() {
        return false;
    }

    @Override
    public FieldLabels fieldLabels() {
        return fieldLabels;
    }

    @Override
    public ScalePaths scalePaths() {
        return scalePaths;
    }
}
