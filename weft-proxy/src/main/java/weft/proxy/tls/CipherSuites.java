package weft.proxy.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * Envoy's {@code cipher_suites} (BoringSSL names, e.g. {@code ECDHE-RSA-AES128-GCM-SHA256}, or
 * {@code [A|B]} equal-preference groups) to the IANA names both Netty providers accept. An
 * equal-preference group is flattened in its written order (the client's preference among its
 * members is not honoured). As in Envoy, the list governs TLS 1.0-1.2 only: the TLS 1.3 suites
 * are always appended, since BoringSSL does not let them be configured.
 */
final class CipherSuites {
  private static final Map<String, String> BORINGSSL_TO_IANA = Map.ofEntries(
      Map.entry("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
      Map.entry("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
      Map.entry("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
      Map.entry("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
      Map.entry("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
      Map.entry("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
      Map.entry("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
      Map.entry("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
      Map.entry("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
      Map.entry("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
      Map.entry("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
      Map.entry("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
      Map.entry("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
      Map.entry("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"));

  static final List<String> TLS13 =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private CipherSuites() {}

  /** The IANA names for the configured list (plus TLS 1.3 suites), or null after a problem. */
  static List<String> translate(List<String> configured, ConfigPath path, ConfigProblems problems) {
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < configured.size(); i++) {
      String entry = configured.get(i);
      String body = entry.startsWith("[") && entry.endsWith("]") ? entry.substring(1, entry.length() - 1) : entry;
      for (String name : body.split("\\|", -1)) {
        String iana = name.startsWith("TLS_") ? name : BORINGSSL_TO_IANA.get(name);
        if (iana == null) {
          problems.add(path.index(i), "cipher suite \"" + name + "\" is not supported (expected one of "
              + BORINGSSL_TO_IANA.keySet().stream().sorted().toList() + ")");
          ok = false;
        } else if (!out.contains(iana)) {
          out.add(iana);
        }
      }
    }
    for (String s : TLS13) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return ok ? List.copyOf(out) : null;
  }
}
