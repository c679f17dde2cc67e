package weft.proxy.listener;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * The {@code server_names} step of {@link FilterChainMatcher}: exact names, then wildcards
 * ({@code *.example.com} covers any depth below example.com, as Envoy) from the longest suffix,
 * then chains without server_names. Names are lower-cased; the TLS inspector lower-cases SNI.
 */
final class ServerNameLevel {
  private final Map<String, long[]> exact = new HashMap<>();
  private final Map<String, long[]> suffixes = new HashMap<>(); // ".example.com" for "*.example.com"
  private final long[] none;
  private final int chains;

  ServerNameLevel(int chains) {
    this.chains = chains;
    this.none = ChainSet.empty(chains);
  }

  Set<String> add(int chain, List<String> names, ConfigPath path, ConfigProblems problems) {
    Set<String> keys = new TreeSet<>();
    if (names.isEmpty()) {
      ChainSet.add(none, chain);
      return keys;
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).toLowerCase(Locale.ROOT);
      boolean wildcard = name.startsWith("*.");
      if (name.isEmpty() || name.indexOf('*', wildcard ? 1 : 0) >= 0) {
        problems.add(path.index(i), "\"" + names.get(i)
            + "\" is not a server name (partial wildcards are not supported; expected: host or *.domain)");
        continue;
      }
      Map<String, long[]> map = wildcard ? suffixes : exact;
      String key = wildcard ? name.substring(1) : name;
      ChainSet.add(map.computeIfAbsent(key, k -> ChainSet.empty(chains)), chain);
      keys.add(name);
    }
    return keys;
  }

  /** Exact name, then wildcards from the longest suffix, then chains without server_names. */
  boolean narrow(long[] cand, String sni) {
    if (!sni.isEmpty()) {
      if (ChainSet.narrow(cand, exact.get(sni))) {
        return true;
      }
      if (!suffixes.isEmpty()) {
        for (int dot = sni.indexOf('.'); dot >= 0; dot = sni.indexOf('.', dot + 1)) {
          if (ChainSet.narrow(cand, suffixes.get(sni.substring(dot)))) {
            return true;
          }
        }
      }
    }
    return ChainSet.narrow(cand, none);
  }
}
