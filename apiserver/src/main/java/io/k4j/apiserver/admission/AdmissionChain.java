package io.k4j.apiserver.admission;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The admission plugins in the order they were added, run over one lookup. */
public final class AdmissionChain {

    private final List<MutatingAdmission> mutating = new CopyOnWriteArrayList<>();
    private final List<ValidatingAdmission> validating = new CopyOnWriteArrayList<>();
    private final ObjectLookup lookup;

    public AdmissionChain(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    /** Upstream's default plugins that k4j has. */
    public static List<AdmissionPlugin> defaults() {
        return List.of(new PriorityAdmission(), new DefaultTolerationSeconds(), new DefaultStorageClass());
    }

    public void add(AdmissionPlugin plugin) {
        if (plugin instanceof MutatingAdmission m) {
            mutating.add(m);
        }
        if (plugin instanceof ValidatingAdmission v) {
            validating.add(v);
        }
    }

    /** Runs the mutating plugins: before validation. */
    public void admit(Attributes attributes) {
        for (MutatingAdmission plugin : mutating) {
            if (plugin.handles(attributes)) {
                plugin.admit(attributes, lookup);
            }
        }
    }

    /** Runs the validating plugins: after validation, before the write. */
    public void validate(Attributes attributes) {
        for (ValidatingAdmission plugin : validating) {
            if (plugin.handles(attributes)) {
                plugin.validate(attributes, lookup);
            }
        }
    }
}
