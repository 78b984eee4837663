package io.k4j.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code --datastore-endpoint} (k3s's flag): {@code sqlite:///PATH/state.db}, {@code sqlite://} (the
 * default file under the data dir), or {@code etcd://HOST:PORT[,HOST:PORT...][/KEY-PREFIX]}; {@code
 * etcd+https://} does the same over TLS.
 */
public sealed interface DatastoreEndpoint {

    /** The embedded SQLite file. */
    record Sqlite(Path file) implements DatastoreEndpoint {
    }

    /** An etcd cluster: its client URLs and the prefix k4j's keys live under. */
    record Etcd(List<URI> members, String keyPrefix) implements DatastoreEndpoint {
    }

    /** The file name of the default SQLite datastore inside the data dir. */
    String DEFAULT_SQLITE_FILE = "state.db";

    /**
     * Parses an endpoint; an empty or null one means the default SQLite file under {@code dataDir}.
     *
     * @throws IllegalArgumentException with a message for people when the endpoint cannot be understood
     */
    static DatastoreEndpoint parse(String endpoint, Path dataDir) {
        Path defaultFile = dataDir.resolve("db").resolve(DEFAULT_SQLITE_FILE);
        if (endpoint == null || endpoint.isBlank() || endpoint.equals("sqlite://")) {
            return new Sqlite(defaultFile);
        }
        if (endpoint.startsWith("sqlite://")) {
            String path = endpoint.substring("sqlite://".length());
            int query = path.indexOf('?');
            if (query >= 0) {
                path = path.substring(0, query);
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("sqlite datastore endpoint needs an absolute path, as in "
                        + "sqlite:///var/lib/k4j/state.db; got " + endpoint);
            }
            return new Sqlite(Path.of(path));
        }
        String scheme;
        if (endpoint.startsWith("etcd://")) {
            scheme = "http://";
        } else if (endpoint.startsWith("etcd+https://")) {
            scheme = "https://";
        } else {
            throw new IllegalArgumentException("unknown datastore endpoint " + endpoint
                    + "; use sqlite:///PATH/state.db or etcd://HOST:PORT[,HOST:PORT...]");
        }
        String rest = endpoint.substring(endpoint.indexOf("://") + 3);
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash);
        if (prefix.equals("/")) {
            prefix = "";
        }
        List<URI> members = new ArrayList<>();
        for (String host : hosts.split(",")) {
            if (!host.matches("[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9a-fA-F:]+\\]:\\d{1,5}")) {
                throw new IllegalArgumentException("etcd member '" + host + "' in " + endpoint
                        + " is not HOST:PORT");
            }
            members.add(URI.create(scheme + host));
        }
        return new Etcd(members, prefix);
    }
}
