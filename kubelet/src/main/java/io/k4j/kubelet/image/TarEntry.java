package io.k4j.kubelet.image;

import java.util.Map;

/**
 * One header of a tar stream, with any PAX or GNU long-name overrides already applied.
 *
 * @param name     the path as written in the archive (may start with {@code ./} or {@code /})
 * @param linkName a symlink's target or a hard link's archive path
 * @param xattrs   extended attributes from PAX {@code SCHILY.xattr.*} records
 */
record TarEntry(String name, Type type, int mode, int uid, int gid, long size, long mtimeSeconds, String linkName,
        int devMajor, int devMinor, Map<String, byte[]> xattrs) {

    enum Type { FILE, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO, OTHER }
}
