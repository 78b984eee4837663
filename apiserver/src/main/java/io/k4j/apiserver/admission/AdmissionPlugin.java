package io.k4j.apiserver.admission;

import io.k4j.apiserver.api.ApiException;

/** What every admission plugin has; a plugin implements MutatingAdmission, ValidatingAdmission, or both. */
public sealed interface AdmissionPlugin permits MutatingAdmission, ValidatingAdmission {

    /** Whether the plugin has anything to do with this write (by resource and operation). */
    boolean handles(Attributes attributes);

    /** Upstream's admission.NewForbidden: 403 with `RESOURCE "NAME" is forbidden: WHY`. */
    static ApiException forbidden(Attributes attributes, String why) {
        return ApiException.forbidden(attributes.definition().group(), attributes.definition().plural(),
                attributes.name(), why);
    }
}
