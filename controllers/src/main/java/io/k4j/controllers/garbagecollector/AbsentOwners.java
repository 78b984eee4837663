package io.k4j.controllers.garbagecollector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Owner uids found not to exist, remembered (the most recent 500, as upstream) to spare lookups for siblings. */
final class AbsentOwners {

    private static final int CAPACITY = 500;

    private final Set<String> uids = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<String, Boolean>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > CAPACITY;
                }
            }));

    boolean contains(String uid) {
        return uids.contains(uid);
    }

    void add(String uid) {
        uids.add(uid);
    }
}
