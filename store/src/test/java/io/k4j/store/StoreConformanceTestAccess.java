package io.k4j.store;

/** Opens the package-private conformance suite to the backends' test packages. */
public abstract class StoreConformanceTestAccess extends StoreConformanceTest {
}
