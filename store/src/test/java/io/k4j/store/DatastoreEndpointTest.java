package io.k4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatastoreEndpointTest {

    private static final Path DATA_DIR = Path.of("/var/lib/k4j");

    @Test
    void noEndpointMeansTheSqliteFileInTheDataDir() {
        assertThat(DatastoreEndpoint.parse(null, DATA_DIR))
                .isEqualTo(new DatastoreEndpoint.Sqlite(Path.of("/var/lib/k4j/db/state.db")));
        assertThat(DatastoreEndpoint.parse("sqlite://", DATA_DIR))
                .isEqualTo(new DatastoreEndpoint.Sqlite(Path.of("/var/lib/k4j/db/state.db")));
    }

    @Test
    void sqliteEndpointNamesAnAbsoluteFile() {
        assertThat(DatastoreEndpoint.parse("sqlite:///srv/k4j/state.db?_journal=WAL", DATA_DIR))
                .isEqualTo(new DatastoreEndpoint.Sqlite(Path.of("/srv/k4j/state.db")));
        assertThatThrownBy(() -> DatastoreEndpoint.parse("sqlite://relative.db", DATA_DIR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute path");
    }

    @Test
    void etcdEndpointListsMembersAndAnOptionalPrefix() {
        assertThat(DatastoreEndpoint.parse("etcd://10.0.0.1:2379,10.0.0.2:2379/k4j", DATA_DIR))
                .isEqualTo(new DatastoreEndpoint.Etcd(
                        List.of(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379")), "/k4j"));
        assertThat(DatastoreEndpoint.parse("etcd+https://etcd.example:2379", DATA_DIR))
                .isEqualTo(new DatastoreEndpoint.Etcd(List.of(URI.create("https://etcd.example:2379")), ""));
    }

    @Test
    void nonsenseIsRefusedWithAMessageThatShowsTheForms() {
        assertThatThrownBy(() -> DatastoreEndpoint.parse("mysql://db:3306", DATA_DIR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sqlite:///PATH/state.db").hasMessageContaining("etcd://HOST:PORT");
        assertThatThrownBy(() -> DatastoreEndpoint.parse("etcd://no-port", DATA_DIR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HOST:PORT");
    }
}
