package weft.proxy.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Virtual host selection by Host/:authority, as Envoy's {@code RouteMatcher::findVirtualHost}:
 * exact domains first, then suffix wildcards ({@code *.example.com}, {@code *-bar.example.com}),
 * then prefix wildcards ({@code foo.*}), then {@code *}; among wildcards the longest wins and a
 * wildcard must cover at least one character. Matching is case-insensitive. The port is part of
 * the host: {@code example.com:8080} matches domain {@code example.com:8080} (or a wildcard that
 * covers the port), not {@code example.com}, unless {@code ignore_port_in_host_matching} is set.
 */
final class DomainIndex<V> {
  private record Wildcard<V>(String text, V value) {}

  private final Map<String, V> exact;
  private final Wildcard<V>[] suffixes; // longest first
  private final Wildcard<V>[] prefixes; // longest first
  private final V fallback;
  private final boolean ignorePort;

  private DomainIndex(Map<String, V> exact, Wildcard<V>[] suffixes, Wildcard<V>[] prefixes,
      V fallback, boolean ignorePort) {
    this.exact = exact;
    this.suffixes = suffixes;
    this.prefixes = prefixes;
    this.fallback = fallback;
    this.ignorePort = ignorePort;
  }

  static final class Builder<V> {
    private final Map<String, V> exact = new HashMap<>();
    private final List<Wildcard<V>> suffixes = new ArrayList<>();
    private final List<Wildcard<V>> prefixes = new ArrayList<>();
    private final Map<String, String> owners = new HashMap<>();
    private V fallback;

    /** Adds a domain; returns the name of the virtual host that already has it, or null. */
    String add(String domain, V value, String owner) {
      String d = domain.toLowerCase(Locale.ROOT);
      String previous = owners.putIfAbsent(d, owner);
      if (previous != null) {
        return previous;
      }
      if (d.equals("*")) {
        fallback = value;
      } else if (d.length() > 1 && d.startsWith("*")) {
        suffixes.add(new Wildcard<>(d.substring(1), value));
      } else if (d.length() > 1 && d.endsWith("*")) {
        prefixes.add(new Wildcard<>(d.substring(0, d.length() - 1), value));
      } else {
        exact.put(d, value);
      }
      return null;
    }

    @SuppressWarnings("unchecked")
    DomainIndex<V> build(boolean ignorePort) {
      Comparator<Wildcard<V>> longestFirst = Comparator.comparingInt(w -> -w.text().length());
      suffixes.sort(longestFirst);
      prefixes.sort(longestFirst);
      return new DomainIndex<>(Map.copyOf(exact), suffixes.toArray(Wildcard[]::new),
          prefixes.toArray(Wildcard[]::new), fallback, ignorePort);
    }
  }

  /** The virtual host for {@code authority}, or null. Allocates only for upper-case hosts. */
  V find(String authority) {
    if (authority == null || authority.isEmpty()) {
      // Envoy: no Host means no virtual host, except when '*' is the only one
      return exact.isEmpty() && suffixes.length == 0 && prefixes.length == 0 ? fallback : null;
    }
    String host = authority;
    if (ignorePort) {
      int p = Redirector.portStart(host);
      if (p >= 0) {
        host = host.substring(0, p);
      }
    }
    // toLowerCase returns the same instance when nothing changes
    host = host.toLowerCase(Locale.ROOT);
    V v = exact.get(host);
    if (v != null) {
      return v;
    }
    int n = host.length();
    for (Wildcard<V> w : suffixes) {
      int len = w.text().length();
      if (len < n && host.regionMatches(n - len, w.text(), 0, len)) {
        return w.value();
      }
    }
    for (Wildcard<V> w : prefixes) {
      int len = w.text().length();
      if (len < n && host.startsWith(w.text())) {
        return w.value();
      }
    }
    return fallback;
  }
}
