package io.k4j.dns.zone;

import static io.k4j.dns.testing.Queries.ip;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLabelsTest {

    @ParameterizedTest
    @CsvSource({
        "10.42.0.5, 10-42-0-5",
        "::1, --1",
        "fd00::, fd00--",
        "fd00:42::9, fd00-42--9",
        "1:0:0:1:0:0:0:1, 1-0-0-1--1",
        "2001:db8:0:1:1:1:1:1, 2001-db8-0-1-1-1-1-1",
        "0:0:1:0:0:0:0:0, 0-0-1--",
    })
    void spellsAddressesAsOneLabelAndReadsThemBack(String address, String label) {
        assertThat(IpLabels.dashed(ip(address))).isEqualTo(label);
        assertThat(IpLabels.parse(label)).contains(ip(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "web", "10-42-0-256", "10-42-0", "10-42-0-5-6", "g--1", "localhost",
        "1-2-3-4-5-6-7-8-9"})
    void readsNothingFromLabelsThatAreNoAddress(String label) {
        assertThat(IpLabels.parse(label)).isEmpty();
    }
}
