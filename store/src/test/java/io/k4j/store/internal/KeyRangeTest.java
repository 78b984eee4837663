package io.k4j.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyRangeTest {

    @Test
    void thePrefixEndIsTheLastByteIncremented() {
        assertThat(KeyRange.prefixEnd(KeyRange.bytes("/registry/pods/"))).isEqualTo(KeyRange.bytes("/registry/pods0"));
    }

    @Test
    void trailingFfBytesAreDroppedAndTheEmptyPrefixCoversEverything() {
        assertThat(KeyRange.prefixEnd(new byte[] {'a', (byte) 0xFF})).isEqualTo(new byte[] {'b'});
        assertThat(KeyRange.prefixEnd(new byte[0])).isEqualTo(new byte[] {(byte) 0xFF});
    }

    @Test
    void theSuccessorIsTheKeyWithAZeroByte() {
        assertThat(KeyRange.successor("/a")).isEqualTo(new byte[] {'/', 'a', 0});
    }
}
