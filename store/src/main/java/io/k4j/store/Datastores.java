package io.k4j.store;

import io.k4j.store.etcd.EtcdOptions;
import io.k4j.store.etcd.EtcdStore;
import io.k4j.store.sqlite.SqliteStore;
import java.nio.file.Path;

/** Opens the store a {@link DatastoreEndpoint} names. */
public final class Datastores {

    private Datastores() {
    }

    /**
     * Opens the backend.
     *
     * @param tls CA, certificate and key files for etcd (k3s's --datastore-cafile/certfile/keyfile); any may be null
     * @throws StoreStartupException when it cannot be opened, with a message naming the file or cluster
     */
    public static KeyValueStore open(DatastoreEndpoint endpoint, Path caFile, Path certFile, Path keyFile) {
        return switch (endpoint) {
            case DatastoreEndpoint.Sqlite sqlite -> SqliteStore.open(sqlite.file());
            case DatastoreEndpoint.Etcd etcd -> {
                EtcdOptions.Builder options = EtcdOptions.builder(etcd.members()).keyPrefix(etcd.keyPrefix());
                if (caFile != null) {
                    options.tls(caFile, certFile, keyFile);
                }
                yield EtcdStore.connect(options.build());
            }
        };
    }
}
