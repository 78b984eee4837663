/**
 * Admission, as upstream's admission plugins: code that sees every create and update of the resources it cares
 * about after defaulting, and may change the object (mutating, before validation) or refuse it (validating,
 * after validation). ObjectStorage runs the {@link io.k4j.apiserver.admission.AdmissionChain}; plugins read other
 * objects through an {@link io.k4j.apiserver.admission.ObjectLookup}. Subresource writes (status, binding) skip
 * admission, as upstream's plugins ignore them.
 */
package io.k4j.apiserver.admission;
