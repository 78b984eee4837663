package io.k4j.controllers.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Optional;

/** Reading and making ownerReferences, the links garbage collection and adoption work on. */
public final class OwnerRefs {

    private OwnerRefs() {
    }

    /** The ownerReference with controller=true, if any. */
    public static Optional<OwnerReference> controllerOf(HasMetadata object) {
        if (object.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return object.getMetadata().getOwnerReferences().stream()
                .filter(ref -> Boolean.TRUE.equals(ref.getController())).findFirst();
    }

    public static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
        return controllerOf(object).map(ref -> ref.getUid().equals(owner.getMetadata().getUid())).orElse(false);
    }

    /** A controller reference to {@code owner} that blocks the owner's foreground deletion, as controllers set. */
    public static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }
}
