package io.k4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JDK's ahead-of-time cache for a benchmark's server or scheduler (JDK 25+), used as the {@code k4j} launcher
 * uses it: when the file exists the process starts from it (classes loaded and linked, method profiles ready for the
 * JIT); when it does not, this process's run records it, and it is written when the process stops.
 */
public record AotCache(Path file, boolean recording) {

    /** The first JDK whose launcher flags record and use such a cache (JEP 514) with method profiles (JEP 515). */
    public static final int MIN_JDK = 25;

    /** The cache at {@code file}: used if it exists, else recorded by this run. */
    public static AotCache at(Path file) {
        return new AotCache(file.toAbsolutePath(), !Files.exists(file));
    }

    /** Why a cache cannot be used with this JDK, or null. */
    public static String unavailableReason() {
        int feature = Runtime.version().feature();
        return feature >= MIN_JDK ? null
                : "an AOT cache needs JDK " + MIN_JDK + " or later; this is JDK " + feature;
    }

    /** The JVM's flags (the JDK's own cache messages off, as the launcher has them). */
    public List<String> jvmFlags() {
        String flag = recording ? "-XX:AOTCacheOutput=" : "-XX:AOTCache=";
        return List.of(flag + file, "-Xlog:aot*=off", "-Xlog:cds*=off");
    }

    /** How the benchmark's table names it. */
    public String describe() {
        return recording ? "recorded by this run" : "from an earlier run";
    }
}
