package io.k4j.apiserver.registry;

import io.k4j.apiserver.api.Json;
import tools.jackson.databind.node.ObjectNode;

/** PersistentVolumeClaims: upstream's defaults, a Filesystem volume mode and the Pending phase until bound. */
final class PersistentVolumeClaimStrategy implements ResourceStrategy {

    @Override
    public void prepareForCreate(ObjectNode claim) {
        ObjectNode spec = Json.child(claim, "spec");
        if (!spec.has("volumeMode")) {
            spec.put("volumeMode", "Filesystem");
        }
        ObjectNode status = Json.child(claim, "status");
        if (!status.has("phase")) {
            status.put("phase", "Pending");
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode claim, ObjectNode old) {
        ObjectNode spec = Json.child(claim, "spec");
        if (!spec.has("volumeMode")) {
            spec.put("volumeMode", "Filesystem");
        }
    }
}
