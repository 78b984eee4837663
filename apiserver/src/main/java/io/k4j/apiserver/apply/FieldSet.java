package io.k4j.apiserver.apply;

import io.k4j.apiserver.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths stored as a trie, as structured-merge-diff's {@code fieldpath.Set}: at each level the
 * elements that are themselves in the set ("members") and the elements with paths below them ("children"). A
 * path can be both, which FieldsV1 writes as a {@code ".": {}} entry.
 */
public final class FieldSet {

    private final TreeSet<PathElement> members = new TreeSet<>();
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    public static FieldSet of(List<List<PathElement>> paths) {
        FieldSet set = new FieldSet();
        paths.forEach(set::insert);
        return set;
    }

    public boolean isEmpty() {
        return members.isEmpty() && children.isEmpty();
    }

    public void insert(List<PathElement> path) {
        if (path.isEmpty()) {
            return;
        }
        FieldSet level = this;
        for (int i = 0; i < path.size() - 1; i++) {
            level = level.children.computeIfAbsent(path.get(i), e -> new FieldSet());
        }
        level.members.add(path.getLast());
    }

    public boolean has(List<PathElement> path) {
        if (path.isEmpty()) {
            return false;
        }
        FieldSet level = this;
        for (int i = 0; i < path.size() - 1; i++) {
            level = level.children.get(path.get(i));
            if (level == null) {
                return false;
            }
        }
        return level.members.contains(path.getLast());
    }

    /** Whether the set holds this path or any path below it. */
    public boolean hasPrefix(List<PathElement> path) {
        FieldSet level = this;
        for (int i = 0; i < path.size(); i++) {
            if (i == path.size() - 1 && level.members.contains(path.get(i))) {
                return true;
            }
            level = level.children.get(path.get(i));
            if (level == null) {
                return false;
            }
        }
        return true;
    }

    public FieldSet copy() {
        return union(new FieldSet());
    }

    public FieldSet union(FieldSet other) {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        out.members.addAll(other.members);
        children.forEach((e, child) -> out.children.put(e, child.copyDeep()));
        other.children.forEach((e, child) -> out.children.merge(e, child.copyDeep(), FieldSet::union));
        return out;
    }

    private FieldSet copyDeep() {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((e, child) -> out.children.put(e, child.copyDeep()));
        return out;
    }

    public FieldSet difference(FieldSet other) {
        FieldSet out = new FieldSet();
        for (PathElement member : members) {
            if (!other.members.contains(member)) {
                out.members.add(member);
            }
        }
        children.forEach((e, child) -> {
            FieldSet theirs = other.children.get(e);
            FieldSet rest = theirs == null ? child.copyDeep() : child.difference(theirs);
            if (!rest.isEmpty()) {
                out.children.put(e, rest);
            }
        });
        return out;
    }

    public FieldSet intersection(FieldSet other) {
        FieldSet out = new FieldSet();
        for (PathElement member : members) {
            if (other.members.contains(member)) {
                out.members.add(member);
            }
        }
        children.forEach((e, child) -> {
            FieldSet theirs = other.children.get(e);
            if (theirs != null) {
                FieldSet both = child.intersection(theirs);
                if (!both.isEmpty()) {
                    out.children.put(e, both);
                }
            }
        });
        return out;
    }

    /** This set without the path and everything below it. */
    public FieldSet withoutTree(List<PathElement> path) {
        return withoutTrees(List.of(path));
    }

    /** This set without each of the paths and everything below them: one copy, however many paths. */
    public FieldSet withoutTrees(List<List<PathElement>> paths) {
        FieldSet out = copyDeep();
        for (List<PathElement> path : paths) {
            FieldSet level = out;
            for (int i = 0; i < path.size() - 1 && level != null; i++) {
                level = level.children.get(path.get(i));
            }
            if (level != null) {
                level.members.remove(path.getLast());
                level.children.remove(path.getLast());
            }
        }
        out.prune();
        return out;
    }

    /** Only the paths at or below {@code path}. */
    public FieldSet onlyTree(List<PathElement> path) {
        FieldSet level = this;
        for (int i = 0; i < path.size() - 1; i++) {
            level = level.children.get(path.get(i));
            if (level == null) {
                return new FieldSet();
            }
        }
        FieldSet out = new FieldSet();
        PathElement last = path.getLast();
        if (level.members.contains(last)) {
            out.insert(path);
        }
        FieldSet below = level.children.get(last);
        if (below != null) {
            FieldSet nest = out;
            for (int i = 0; i < path.size() - 1; i++) {
                nest = nest.children.computeIfAbsent(path.get(i), e -> new FieldSet());
            }
            nest.children.put(last, below.copyDeep());
        }
        return out;
    }

    private void prune() {
        children.values().forEach(FieldSet::prune);
        children.values().removeIf(FieldSet::isEmpty);
    }

    /** Every field that has paths below it also counts as a member (upstream's EnsureNamedFieldsAreMembers). */
    public FieldSet withNamedFieldsAsMembers() {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((e, child) -> {
            if (e instanceof PathElement.Field) {
                out.members.add(e);
            }
            out.children.put(e, child.withNamedFieldsAsMembers());
        });
        return out;
    }

    /** Calls {@code action} with each member path, in order. */
    public void forEachPath(Consumer<List<PathElement>> action) {
        walk(new ArrayList<>(), action);
    }

    private void walk(List<PathElement> prefix, Consumer<List<PathElement>> action) {
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(children.keySet());
        for (PathElement e : all) {
            prefix.add(e);
            if (members.contains(e)) {
                action.accept(List.copyOf(prefix));
            }
            FieldSet child = children.get(e);
            if (child != null) {
                child.walk(prefix, action);
            }
            prefix.removeLast();
        }
    }

    public List<List<PathElement>> paths() {
        List<List<PathElement>> out = new ArrayList<>();
        forEachPath(out::add);
        return out;
    }

    /** The FieldsV1 JSON of this set, written as upstream writes it. */
    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        write(out, false);
        return out;
    }

    private void write(ObjectNode out, boolean includeSelf) {
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(children.keySet());
        for (PathElement e : all) {
            FieldSet child = children.get(e);
            if (child == null) {
                out.putObject(e.serialize());
            } else {
                child.write(out.putObject(e.serialize()), members.contains(e));
            }
        }
        if (includeSelf && !all.isEmpty()) {
            out.putObject(".");
        }
    }

    /** Reads FieldsV1 JSON; throws IllegalArgumentException when it is not a valid set. */
    public static FieldSet fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("FieldsV1 must be an object");
        }
        FieldSet set = new FieldSet();
        set.read(json);
        return set;
    }

    /** Reads one level; returns whether the level marks its parent element as a member. */
    private boolean read(JsonNode json) {
        boolean self = false;
        for (Map.Entry<String, JsonNode> entry : json.properties()) {
            if (entry.getKey().equals(".")) {
                self = true;
                continue;
            }
            PathElement element;
            try {
                element = PathElement.parse(entry.getKey());
            } catch (RuntimeException e) {
                if (e instanceof IllegalArgumentException && e.getMessage() != null
                        && e.getMessage().startsWith("unknown path element type")) {
                    continue; // a newer kind of element: dropped, as upstream does
                }
                throw new IllegalArgumentException("invalid FieldsV1 key " + entry.getKey(), e);
            }
            if (!entry.getValue().isObject()) {
                throw new IllegalArgumentException("FieldsV1 values must be objects");
            }
            FieldSet child = new FieldSet();
            boolean member = child.read(entry.getValue());
            if (member || child.isEmpty()) {
                members.add(element);
            }
            if (!child.isEmpty()) {
                children.put(element, child);
            }
        }
        return self;
    }

    /** A path as upstream prints it: {@code .spec.containers[name="app"].image}. */
    public static String display(List<PathElement> path) {
        StringBuilder out = new StringBuilder();
        path.forEach(e -> out.append(e.display()));
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldSet set && set.members.equals(members) && set.children.equals(children);
    }

    @Override
    public int hashCode() {
        return members.hashCode() * 31 + children.hashCode();
    }

    @Override
    public String toString() {
        return Json.text(toJson());
    }
}
