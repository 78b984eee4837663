package io.k4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDK's ahead-of-time cache for a benchmark's server or scheduler (JDK 25+), used as the {@code k4j} launcher
 * uses it: when the file exists the process starts from it (classes loaded and linked, method profiles ready for the
 * JIT); when it does not, or was made before the jars were last built (the JVM would quietly ignore it), this
 * process's run records it, and it is written when the process stops.
 */
public record AotCache(Path file, boolean recording) {

    /** The first JDK whose launcher flags record and use such a cache (JEP 514) with method profiles (JEP 515). */
    public static final int MIN_JDK = 25;

    /** The cache at {@code file} for this JVM's jars: used if it exists and is newer than they are, else recorded. */
    public static AotCache at(Path file) throws IOException {
        return at(file, newestJar());
    }

    /** As {@link #at(Path)}, for jars last changed at {@code jarsBuilt}; a stale cache is deleted, as the launcher does. */
    static AotCache at(Path file, FileTime jarsBuilt) throws IOException {
        boolean fresh = Files.exists(file) && Files.getLastModifiedTime(file).compareTo(jarsBuilt) > 0;
        if (!fresh) {
            Files.deleteIfExists(file);
        }
        return new AotCache(file.toAbsolutePath(), !fresh);
    }

    /** When the newest jar this JVM runs from (its class path, and the lib folder beside the k4j jar) changed. */
    private static FileTime newestJar() throws IOException {
        FileTime newest = FileTime.fromMillis(0);
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.exists(jar)) {
                continue;
            }
            List<Path> jars = new ArrayList<>(List.of(jar));
            Path lib = jar.toAbsolutePath().resolveSibling("lib");
            if (Files.isDirectory(lib)) {
                try (var files = Files.list(lib)) {
                    files.filter(f -> f.toString().endsWith(".jar")).forEach(jars::add);
                }
            }
            for (Path each : jars) {
                FileTime changed = Files.getLastModifiedTime(each);
                newest = changed.compareTo(newest) > 0 ? changed : newest;
            }
        }
        return newest;
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
