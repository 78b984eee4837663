# Shared by ./k4j and ./run-tests: pick a JDK >= 21 and the Maven options it needs.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm.

k4j_jdk_major() { # JDK_HOME -> its feature version, from its release file
  local release="$1/release"
  [ -r "$release" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

k4j_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(k4j_jdk_major "$JAVA_HOME" || echo 0)
    if [ "${major:-0}" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(k4j_jdk_major "$candidate" || echo 0)
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}

k4j_use_jdk() { # exports JAVA_HOME and MAVEN_OPTS, sets K4J_JVM_FLAGS, or exits with a message
  local jdk
  K4J_JVM_FLAGS=
  jdk=$(k4j_find_jdk) || { echo "k4j: no JDK >= 21 found; set JAVA_HOME or install one under /usr/lib/jvm" >&2; exit 1; }
  export JAVA_HOME="$jdk"
  if [ "$(k4j_jdk_major "$jdk")" -ge 24 ]; then
    # Maven 3.8's own libraries use sun.misc.Unsafe; keep JDK 24+ from warning about it on every build.
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    K4J_JVM_FLAGS="--sun-misc-unsafe-memory-access=allow" # Netty (under gRPC) still uses it
  fi
}
