# Sourced by the bin/ scripts: points JAVA_HOME at a JDK >= 25, or stops with the reason.
# The JDK's major version: from its release file (JAVA_VERSION="25.0.1"), which costs no JVM start,
# else from the JVM itself.
jvmm_java_major() {
  local v=
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  echo "$v"
}
jvmm_pick_jdk() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    local v; v=$(jvmm_java_major "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then export JAVA_HOME="$c"; return 0; fi
  done
  echo "jvmm: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/*). Install Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64 or set JAVA_HOME." >&2
  return 1
}
jvmm_pick_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
