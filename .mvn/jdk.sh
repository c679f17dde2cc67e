# Selects a JDK >= 21 for ./mvnw and ./weft. POSIX sh; sourced, not executed.
# Order: $JAVA_HOME if new enough, then the newest JDK under /usr/lib/jvm (and
# /usr/local/lib/jvm), then `java` on PATH. Exports JAVA_HOME or exits with a
# message that says what is missing.
WEFT_MIN_JDK=21

weft_jdk_major() {
  # prints the major version of the JDK at $1, or nothing when $1 is not a JDK
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  [ "$v" = 1 ] && v=8
  printf '%s' "$v"
}

weft_select_jdk() {
  if [ -n "${JAVA_HOME-}" ]; then
    m=$(weft_jdk_major "$JAVA_HOME")
    if [ -n "$m" ] && [ "$m" -ge "$WEFT_MIN_JDK" ]; then export JAVA_HOME; return 0; fi
    weft_rejected="JAVA_HOME=$JAVA_HOME (version ${m:-unknown})"
  fi
  best=""; best_m=0
  restore_f=$(case $- in *f*) echo yes;; esac)
  set +f
  for d in /usr/lib/jvm/* /usr/local/lib/jvm/*; do
    [ -d "$d" ] || continue
    m=$(weft_jdk_major "$d")
    if [ -n "$m" ] && [ "$m" -ge "$WEFT_MIN_JDK" ] && [ "$m" -gt "$best_m" ]; then best=$d; best_m=$m; fi
  done
  [ -n "$restore_f" ] && set -f
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    m=$(weft_jdk_major "$d")
    if [ -n "$m" ] && [ "$m" -ge "$WEFT_MIN_JDK" ]; then best=$d; fi
  fi
  if [ -z "$best" ]; then
    echo "weft: needs a JDK >= $WEFT_MIN_JDK (java and javac), and found none." >&2
    [ -n "${weft_rejected-}" ] && echo "  rejected $weft_rejected" >&2
    echo "  looked at: JAVA_HOME, /usr/lib/jvm/*, /usr/local/lib/jvm/*, javac on PATH" >&2
    echo "  fix: install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it" >&2
    exit 1
  fi
  JAVA_HOME=$best; export JAVA_HOME
}
