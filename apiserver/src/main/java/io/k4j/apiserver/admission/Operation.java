package io.k4j.apiserver.admission;

/** The write an admission plugin is asked about. */
public enum Operation {
    CREATE,
    UPDATE
}
