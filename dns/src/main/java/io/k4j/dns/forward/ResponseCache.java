package io.k4j.dns.forward;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Upstream answers kept for their TTL (the smallest of the answer's records), negative answers (NXDOMAIN, NODATA) for
 * the SOA's negative TTL (RFC 2308); errors, truncated answers and negative answers without SOA are not kept. A hit is
 * served with its TTLs lowered by the time it spent here. Least recently used entries go first when full.
 */
public final class ResponseCache {

    private record Key(String name, int type, int dclass) {
    }

    private record Cached(Message response, long storedAtMillis, long expiresAtMillis) {
    }

    private final Clock clock;
    private final long maxTtlSeconds;
    private final Map<Key, Cached> entries;
    private long hits;
    private long misses;

    public ResponseCache(Clock clock, int maxEntries, Duration maxTtl) {
        this.clock = clock;
        this.maxTtlSeconds = maxTtl.toSeconds();
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The cached response to this query, with the query's id and TTLs aged; empty on a miss or once expired. */
    public Optional<Message> get(Message query) {
        Key key = key(query.getQuestion());
        long now = clock.millis();
        Cached entry;
        synchronized (this) {
            entry = entries.get(key);
            if (entry != null && now >= entry.expiresAtMillis()) {
                entries.remove(key);
                entry = null;
            }
            if (entry == null) {
                misses++;
                return Optional.empty();
            }
            hits++;
        }
        long aged = (now - entry.storedAtMillis()) / 1000;
        return Optional.of(copy(entry.response(), query, aged));
    }

    public void put(Message response) {
        Record question = response.getQuestion();
        if (question == null || response.getHeader().getFlag(Flags.TC)) {
            return;
        }
        long ttl = Math.min(cacheableTtl(response), maxTtlSeconds);
        if (ttl <= 0) {
            return;
        }
        long now = clock.millis();
        Cached entry = new Cached(response, now, now + ttl * 1000);
        synchronized (this) {
            entries.put(key(question), entry);
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    /** Seconds the response may be kept; 0 when it must not be. */
    static long cacheableTtl(Message response) {
        int rcode = response.getRcode();
        List<Record> answers = response.getSection(Section.ANSWER);
        if (rcode == Rcode.NOERROR && !answers.isEmpty()) {
            return answers.stream().mapToLong(Record::getTTL).min().orElse(0);
        }
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
            return response.getSection(Section.AUTHORITY).stream()
                    .filter(record -> record.getType() == Type.SOA)
                    .mapToLong(record -> Math.min(record.getTTL(), ((SOARecord) record).getMinimum()))
                    .findFirst().orElse(0);
        }
        return 0;
    }

    private static Message copy(Message cached, Message query, long agedSeconds) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setRcode(cached.getRcode());
        for (int flag : new int[] {Flags.QR, Flags.RA, Flags.AD}) {
            if (cached.getHeader().getFlag(flag)) {
                response.getHeader().setFlag(flag);
            }
        }
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(query.getQuestion(), Section.QUESTION);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record record : cached.getSection(section)) {
                if (record.getType() != Type.OPT) {
                    response.addRecord(aged(record, agedSeconds), section);
                }
            }
        }
        return response;
    }

    private static Record aged(Record record, long agedSeconds) {
        if (agedSeconds == 0) {
            return record;
        }
        long ttl = Math.max(0, record.getTTL() - agedSeconds);
        return Record.newRecord(record.getName(), record.getType(), record.getDClass(), ttl,
                record.rdataToWireCanonical());
    }

    private static Key key(Record question) {
        return new Key(question.getName().toString().toLowerCase(Locale.ROOT), question.getType(),
                question.getDClass());
    }
}
