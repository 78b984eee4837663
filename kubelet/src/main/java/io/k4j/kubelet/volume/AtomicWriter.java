package io.k4j.kubelet.volume;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a volume's files so that readers see either the old set or the new one, never a mix, as upstream's
 * AtomicWriter: the files go into a new hidden timestamped directory, the {@code ..data} symlink is switched to it
 * with one rename, and each visible top-level name is a symlink through {@code ..data}. The old directory is then
 * removed. Nothing is written when the content and modes are unchanged.
 */
public final class AtomicWriter {

    static final String DATA = "..data";
    private static final String DATA_TMP = "..data_tmp";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.")
            .withZone(ZoneOffset.UTC);

    /** One file's content and permission bits (such as 0644). */
    public record FileProjection(byte[] data, int mode) {
        @Override
        public boolean equals(Object other) {
            return other instanceof FileProjection p && p.mode == mode && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(data) + mode;
        }
    }

    private final Path target;
    private final InstantSource clock;

    public AtomicWriter(Path target, InstantSource clock) {
        this.target = target;
        this.clock = clock;
    }

    /**
     * Makes the directory hold exactly {@code payload} (relative path to file). Returns whether anything changed.
     *
     * @throws IllegalArgumentException for a path that is absolute or has {@code ..}
     */
    public boolean write(Map<String, FileProjection> payload) throws IOException {
        payload.keySet().forEach(AtomicWriter::validatePath);
        Files.createDirectories(target);
        Path dataLink = target.resolve(DATA);
        Path oldDir = Files.isSymbolicLink(dataLink) ? target.resolve(Files.readSymbolicLink(dataLink)) : null;
        Set<String> visible = topLevelNames(payload.keySet());
        if (oldDir != null && Files.isDirectory(oldDir) && sameContent(oldDir, payload)
                && visible.stream().allMatch(name -> Files.isSymbolicLink(target.resolve(name)))) {
            return false;
        }
        Path newDir = Files.createTempDirectory(target, STAMP.format(clock.instant()));
        Files.setPosixFilePermissions(newDir, permissions(0755));
        for (var entry : payload.entrySet()) {
            Path file = newDir.resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, entry.getValue().data());
            Files.setPosixFilePermissions(file, permissions(entry.getValue().mode()));
        }
        Path tmpLink = target.resolve(DATA_TMP);
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, newDir.getFileName());
        Files.move(tmpLink, dataLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String name : visible) {
            try {
                Files.createSymbolicLink(target.resolve(name), Path.of(DATA, name));
            } catch (FileAlreadyExistsException e) {
                // already a link through ..data
            }
        }
        removeStaleNames(visible);
        if (oldDir != null && !oldDir.equals(newDir)) {
            deleteRecursively(oldDir);
        }
        return true;
    }

    /** Upstream's validatePath: relative, no {@code ..} element, not starting with {@code ..}. */
    static void validatePath(String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("invalid path: must not be empty");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("invalid path: must not be absolute path: " + path);
        }
        if (Arrays.asList(path.split("/")).contains("..")) {
            throw new IllegalArgumentException("invalid path: must not contain '..': " + path);
        }
        if (path.startsWith("..")) {
            throw new IllegalArgumentException("invalid path: must not start with '..': " + path);
        }
    }

    private static Set<String> topLevelNames(Set<String> paths) {
        return paths.stream().map(path -> path.split("/")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean sameContent(Path dir, Map<String, FileProjection> payload) throws IOException {
        Set<String> existing = new HashSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                existing.add(dir.relativize(file).toString());
            }
        }
        if (!existing.equals(payload.keySet())) {
            return false;
        }
        for (var entry : payload.entrySet()) {
            Path file = dir.resolve(entry.getKey());
            if (!Arrays.equals(Files.readAllBytes(file), entry.getValue().data())
                    || !Files.getPosixFilePermissions(file).equals(permissions(entry.getValue().mode()))) {
                return false;
            }
        }
        return true;
    }

    /** Removes the visible symlinks of names the new payload no longer has. */
    private void removeStaleNames(Set<String> visible) throws IOException {
        try (Stream<Path> entries = Files.list(target)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("..") && !visible.contains(name) && Files.isSymbolicLink(entry)
                        && Files.readSymbolicLink(entry).startsWith(DATA)) {
                    Files.delete(entry);
                }
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                try {
                    Files.delete(file);
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }
}
