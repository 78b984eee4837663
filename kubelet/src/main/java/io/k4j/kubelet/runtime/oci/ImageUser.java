package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.ContainerConfig.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Resolves a container's user to numbers, a user name through the root file system's /etc/passwd and /etc/group. */
record ImageUser(long uid, long gid, List<Long> additionalGids) {

    static ImageUser resolve(User user, Path rootfs) throws IOException {
        if (user == null) {
            user = User.IMAGE_DEFAULT;
        }
        Set<Long> groups = new LinkedHashSet<>(user.supplementalGroups() == null ? List.of() : user.supplementalGroups());
        String name = user.name();
        if (user.uid() != null || name == null || name.isEmpty()) {
            long uid = user.uid() == null ? 0 : user.uid();
            long gid = user.gid() != null ? user.gid() : primaryGid(rootfs, uid);
            return new ImageUser(uid, gid, new ArrayList<>(groups));
        }
        String[] passwd = passwdEntry(rootfs, name);
        if (passwd == null) {
            throw new IOException("unable to find user " + name + ": no matching entries in passwd file");
        }
        long uid = Long.parseLong(passwd[2]);
        long gid = user.gid() != null ? user.gid() : Long.parseLong(passwd[3]);
        groups.addAll(memberGroups(rootfs, name));
        groups.remove(gid);
        return new ImageUser(uid, gid, new ArrayList<>(groups));
    }

    private static long primaryGid(Path rootfs, long uid) throws IOException {
        for (String[] entry : entries(rootfs.resolve("etc/passwd"))) {
            if (entry.length > 3 && entry[2].equals(Long.toString(uid))) {
                return Long.parseLong(entry[3]);
            }
        }
        return 0;
    }

    private static String[] passwdEntry(Path rootfs, String name) throws IOException {
        for (String[] entry : entries(rootfs.resolve("etc/passwd"))) {
            if (entry.length > 3 && entry[0].equals(name)) {
                return entry;
            }
        }
        return null;
    }

    private static List<Long> memberGroups(Path rootfs, String name) throws IOException {
        List<Long> gids = new ArrayList<>();
        for (String[] entry : entries(rootfs.resolve("etc/group"))) {
            if (entry.length > 3 && List.of(entry[3].split(",")).contains(name)) {
                gids.add(Long.parseLong(entry[2]));
            }
        }
        return gids;
    }

    private static List<String[]> entries(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split(":", -1)).toList();
    }
}
