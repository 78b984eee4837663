/**
 * Admission, as upstream's admission plugins: code that sees every create and update of the resources it cares
 * about after defaulting, and may change the object (mutating, before validation) or refuse it (validating,
 * after validation). ObjectStorage runs the {@link io.k4j.apiserver.admission.AdmissionChain}; plugins read other
 * objects through an {@link io.k4j.apiserver.admission.ObjectLookup}. Writes of the status and binding
 * subresources skip admission, as upstream's plugins ignore subresources.
 */
package io.k4j.apiserver.admission;
