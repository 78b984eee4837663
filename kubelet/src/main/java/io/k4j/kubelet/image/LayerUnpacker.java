package io.k4j.kubelet.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks one image layer into a directory that overlayfs can use as a lower dir: files, directories, symlinks,
 * hard links, devices and fifos with their modes, owners and times; OCI whiteouts become overlayfs whiteouts
 * ({@code .wh.NAME} a 0/0 character device NAME, {@code .wh..wh..opq} the opaque xattr on its directory).
 */
final class LayerUnpacker {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_WHITEOUT = ".wh..wh..opq";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final boolean root = "root".equals(System.getProperty("user.name"));

    /** A layer blob as a tar stream: gzip and zstd are recognised by their magic bytes, anything else is tar. */
    static InputStream openLayer(Path blob) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(blob), 1 << 16);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            in.close();
            return zstd(blob);
        }
        return in;
    }

    private static InputStream zstd(Path blob) throws IOException {
        if (!Commands.installed("zstd")) {
            throw new IOException("layer " + blob.getFileName() + " is zstd-compressed: install zstd");
        }
        Process process = new ProcessBuilder("zstd", "-d", "-c", "-q", blob.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new BufferedInputStream(process.getInputStream(), 1 << 16);
    }

    /**
     * Unpacks a tar stream into {@code target} (an existing, empty directory) and returns the stream's diffID
     * ({@code sha256:} of the uncompressed tar), which the caller checks against the image config.
     */
    String unpack(InputStream tar, Path target) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        DigestInputStream digesting = new DigestInputStream(tar, sha256);
        TarReader reader = new TarReader(digesting);
        List<DirectoryAttributes> directories = new ArrayList<>();
        TarEntry entry;
        while ((entry = reader.next()) != null) {
            apply(entry, reader, target, directories);
        }
        digesting.transferTo(OutputStream.nullOutputStream()); // the digest covers the end-of-archive padding too
        // Directory times and modes last: creating their children would change them again.
        for (DirectoryAttributes directory : directories.reversed()) {
            setAttributes(directory.path(), directory.entry());
        }
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    private record DirectoryAttributes(Path path, TarEntry entry) {
    }

    private void apply(TarEntry entry, TarReader reader, Path root, List<DirectoryAttributes> directories)
            throws IOException {
        String relative = relativePath(entry.name());
        if (relative.isEmpty()) {
            if (entry.type() == TarEntry.Type.DIRECTORY) {
                directories.add(new DirectoryAttributes(root, entry));
            }
            return;
        }
        Path path = root.resolve(relative);
        Path parent = path.getParent();
        makeParents(root, relative);
        String baseName = path.getFileName().toString();
        if (baseName.equals(OPAQUE_WHITEOUT)) {
            Xattrs.set(parent, Xattrs.OVERLAY_OPAQUE, new byte[] {'y'});
            return;
        }
        if (baseName.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            return; // other AUFS metadata (.wh..wh.plnk and friends) has no overlayfs meaning
        }
        if (baseName.startsWith(WHITEOUT_PREFIX)) {
            Path hidden = parent.resolve(baseName.substring(WHITEOUT_PREFIX.length()));
            removeExisting(hidden);
            Commands.check(List.of("mknod", hidden.toString(), "c", "0", "0"));
            return;
        }
        if (entry.type() == TarEntry.Type.DIRECTORY) {
            if (!Files.isDirectory(path, NOFOLLOW)) {
                removeExisting(path);
                Files.createDirectory(path);
            }
            directories.add(new DirectoryAttributes(path, entry));
            return;
        }
        removeExisting(path);
        switch (entry.type()) {
            case FILE -> {
                try (InputStream content = reader.content()) {
                    Files.copy(content, path);
                }
            }
            case SYMLINK -> Files.createSymbolicLink(path, Path.of(entry.linkName()));
            case HARDLINK -> {
                String linkTarget = relativePath(entry.linkName());
                Path existing = root.resolve(linkTarget);
                checkNoSymlinkParents(root, linkTarget);
                if (linkTarget.isEmpty() || !Files.exists(existing, NOFOLLOW)) {
                    throw new IOException("layer entry " + entry.name() + " links to " + entry.linkName()
                            + ", which the layer does not have");
                }
                Files.createLink(path, existing);
                return; // a hard link shares the inode: its attributes are the target's
            }
            case CHAR_DEVICE, BLOCK_DEVICE -> Commands.check(List.of("mknod", path.toString(),
                    entry.type() == TarEntry.Type.CHAR_DEVICE ? "c" : "b", Integer.toString(entry.devMajor()),
                    Integer.toString(entry.devMinor())));
            case FIFO -> Commands.check(List.of("mknod", path.toString(), "p"));
            default -> {
                return; // unknown entry types (sparse files, volume labels) are skipped like other unpackers do
            }
        }
        setAttributes(path, entry);
    }

    /** The entry's path inside the layer: no leading "/" or "./", and never outside the layer. */
    static String relativePath(String name) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IOException("layer entry " + name + " points outside the layer");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    /** Creates missing parent directories (0755, like tar does) and refuses to write through a symlink. */
    private static void makeParents(Path root, String relative) throws IOException {
        checkNoSymlinkParents(root, relative);
        Path parent = root.resolve(relative).getParent();
        if (!Files.isDirectory(parent, NOFOLLOW)) {
            Files.createDirectories(parent);
        }
    }

    private static void checkNoSymlinkParents(Path root, String relative) throws IOException {
        Path current = root;
        String[] parts = relative.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            current = current.resolve(parts[i]);
            if (Files.isSymbolicLink(current)) {
                throw new IOException("layer entry " + relative + " goes through the symlink " + root.relativize(current));
            }
            if (Files.exists(current, NOFOLLOW) && !Files.isDirectory(current, NOFOLLOW)) {
                Files.delete(current); // a later entry replaces a file by a directory
            }
        }
    }

    private static void removeExisting(Path path) throws IOException {
        if (!Files.exists(path, NOFOLLOW)) {
            return;
        }
        if (Files.isDirectory(path, NOFOLLOW)) {
            try {
                Files.delete(path);
            } catch (DirectoryNotEmptyException e) {
                FileTrees.delete(path);
            }
        } else {
            Files.delete(path);
        }
    }

    private void setAttributes(Path path, TarEntry entry) throws IOException {
        boolean symlink = entry.type() == TarEntry.Type.SYMLINK;
        if (root) {
            // chown first: it clears setuid/setgid bits that chmod then sets.
            Files.setAttribute(path, "unix:uid", entry.uid(), NOFOLLOW);
            Files.setAttribute(path, "unix:gid", entry.gid(), NOFOLLOW);
        }
        for (var xattr : entry.xattrs().entrySet()) {
            Xattrs.set(path, xattr.getKey(), xattr.getValue());
        }
        if (!symlink) {
            Files.setAttribute(path, "unix:mode", entry.mode());
        }
        if (entry.type() == TarEntry.Type.FIFO || entry.type() == TarEntry.Type.CHAR_DEVICE
                || entry.type() == TarEntry.Type.BLOCK_DEVICE) {
            return; // the JDK sets times through open(), which would block on a fifo or open a device
        }
        FileTime mtime = FileTime.fromMillis(entry.mtimeSeconds() * 1000);
        try {
            Files.getFileAttributeView(path, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(mtime, null, null);
        } catch (IOException e) {
            if (!symlink) {
                throw e;
            }
        }
    }

    /** Moves a finished unpack into place; false when another pull put the same layer there first. */
    static boolean publish(Path unpacked, Path destination) throws IOException {
        try {
            Files.move(unpacked, destination, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            FileTrees.delete(unpacked);
            return false;
        }
    }
}
