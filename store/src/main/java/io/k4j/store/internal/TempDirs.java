package io.k4j.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of the scratch folders tests and benchmarks make. */
public final class TempDirs {

    private TempDirs() {
    }

    /** Deletes a folder and everything in it; what cannot be deleted is left (a scratch folder, harmless). */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // left behind under the temp dir
        }
    }
}
