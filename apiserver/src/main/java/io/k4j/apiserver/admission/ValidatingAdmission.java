package io.k4j.apiserver.admission;

/** A plugin that may refuse a valid object, by throwing an ApiException, but never changes it. */
public non-sealed interface ValidatingAdmission extends AdmissionPlugin {

    void validate(Attributes attributes, ObjectLookup lookup);
}
