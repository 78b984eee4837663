package io.k4j.apiserver.admission;

/** A plugin that may change an object before it is validated (or refuse it by throwing an ApiException). */
public non-sealed interface MutatingAdmission extends AdmissionPlugin {

    void admit(Attributes attributes, ObjectLookup lookup);
}
