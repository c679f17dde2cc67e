package weft.proxy.tls;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.netty.util.NetUtil;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.matcher.StringMatcher;

/**
 * A validation context's {@code match_typed_subject_alt_names} (or the deprecated
 * {@code match_subject_alt_names}, which matches any SAN type): the peer certificate passes when
 * any matcher matches any SAN of its type. As in Envoy, a DNS {@code exact} matcher also accepts
 * a wildcard SAN covering one label, and DNS names compare case-insensitively ({@code *.example.com} covers {@code a.example.com}), and IP
 * SANs are compared in their canonical text form ({@code ::1}). Immutable; runs once per handshake.
 */
final class SanVerifier {
  static final SanVerifier NONE = new SanVerifier(List.of());
  /** In every refusal's message; {@link TlsStats} recognises SAN failures by it. */
  static final String NO_MATCH = "match none of";

  /** Certificate SAN types, as numbered by {@link X509Certificate#getSubjectAlternativeNames}. */
  static final int EMAIL = 1;
  static final int DNS = 2;
  static final int URI = 6;
  static final int IP = 7;

  /** One matcher; {@code sanType} 0 means any of email, DNS, URI and IP (the legacy field). */
  record Rule(int sanType, StringMatcher matcher, String dnsExact) {
    boolean matches(int type, String san) {
      if (sanType != 0 && sanType != type) {
        return false;
      }
      if (type == DNS && dnsExact != null) {
        return dnsNameMatch(dnsExact, san);
      }
      return matcher.matches(san);
    }

    @Override
    public String toString() {
      String t = switch (sanType) {
        case EMAIL -> "EMAIL";
        case DNS -> "DNS";
        case URI -> "URI";
        case IP -> "IP_ADDRESS";
        default -> "any";
      };
      return t + " " + matcher;
    }
  }

  private final List<Rule> rules;

  private SanVerifier(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  static SanVerifier compile(CertificateValidationContext cvc, ConfigPath path, ConfigProblems problems) {
    List<Rule> rules = new ArrayList<>();
    if (cvc.getMatchTypedSubjectAltNamesCount() > 0 && cvc.getMatchSubjectAltNamesCount() > 0) {
      problems.add(path.field("match_subject_alt_names"),
          "set only one of match_typed_subject_alt_names and the deprecated match_subject_alt_names");
      return null;
    }
    for (int i = 0; i < cvc.getMatchTypedSubjectAltNamesCount(); i++) {
      SubjectAltNameMatcher m = cvc.getMatchTypedSubjectAltNames(i);
      ConfigPath p = path.field("match_typed_subject_alt_names").index(i);
      SupportedFields.check(m, p, problems, "san_type", "matcher");
      int type = switch (m.getSanType()) {
        case DNS -> DNS;
        case URI -> URI;
        case EMAIL -> EMAIL;
        case IP_ADDRESS -> IP;
        case OTHER_NAME, SAN_TYPE_UNSPECIFIED, UNRECOGNIZED -> {
          problems.add(p.field("san_type"),
              m.getSanType() + " is not supported (expected: DNS, URI, EMAIL or IP_ADDRESS)");
          yield -1;
        }
      };
      if (!m.hasMatcher()) {
        problems.add(p.field("matcher"), "a matcher is required");
        continue;
      }
      Rule r = rule(type, m.getMatcher(), p.field("matcher"), problems);
      if (type > 0 && r != null) {
        rules.add(r);
      }
    }
    for (int i = 0; i < cvc.getMatchSubjectAltNamesCount(); i++) {
      Rule r = rule(0, cvc.getMatchSubjectAltNames(i), path.field("match_subject_alt_names").index(i), problems);
      if (r != null) {
        rules.add(r);
      }
    }
    return rules.isEmpty() ? NONE : new SanVerifier(rules);
  }

  private static Rule rule(
      int type, io.envoyproxy.envoy.type.matcher.v3.StringMatcher m, ConfigPath path, ConfigProblems problems) {
    StringMatcher compiled = StringMatcher.compile(m, path, problems);
    if (compiled == null) {
      return null;
    }
    String exact = m.getMatchPatternCase()
        == io.envoyproxy.envoy.type.matcher.v3.StringMatcher.MatchPatternCase.EXACT ? m.getExact() : null;
    return new Rule(type, compiled, exact);
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  List<Rule> rules() {
    return rules;
  }

  /** Throws, failing the handshake, unless some rule matches some SAN of {@code leaf}. */
  void verify(X509Certificate leaf) throws CertificateException {
    if (rules.isEmpty()) {
      return;
    }
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    if (sans != null) {
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        String value = sanValue(type, san.get(1));
        if (value == null) {
          continue;
        }
        for (Rule r : rules) {
          if (r.matches(type, value)) {
            return;
          }
        }
      }
    }
    throw new CertificateException("peer certificate subject alt names " + describe(leaf)
        + " " + NO_MATCH + " " + rules);
  }

  /** The SAN's text form for the four supported types, else null. */
  static String sanValue(int type, Object raw) {
    return switch (type) {
      case EMAIL, DNS, URI -> raw instanceof String s ? s : null;
      case IP -> raw instanceof String s ? canonicalIp(s) : null;
      default -> null;
    };
  }

  /** Every SAN of one type, in certificate order. */
  static List<String> sans(X509Certificate cert, int wanted) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>(2);
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        if (type == wanted) {
          String v = sanValue(type, san.get(1));
          if (v != null) {
            out.add(v);
          }
        }
      }
      return List.copyOf(out);
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static String describe(X509Certificate leaf) {
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans == null) {
        return "[]";
      }
      List<String> out = new ArrayList<>();
      for (List<?> san : sans) {
        out.add(String.valueOf(sanValue((Integer) san.get(0), san.get(1))));
      }
      return out.toString();
    } catch (CertificateParsingException e) {
      return "(unparseable)";
    }
  }

  private static String canonicalIp(String s) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(s);
    return bytes == null ? s : NetUtil.bytesToIpAddress(bytes);
  }

  /** Envoy's {@code dnsNameMatch}: {@code pattern} is the certificate SAN, maybe {@code *.} wildcard. */
  static boolean dnsNameMatch(String name, String pattern) {
    if (pattern.equalsIgnoreCase(name)) {
      return true;
    }
    if (pattern.length() > 2 && pattern.charAt(0) == '*' && pattern.charAt(1) == '.'
        && name.length() > pattern.length() - 1) {
      int off = name.length() - pattern.length() + 1;
      return name.lastIndexOf('.', off - 1) < 0
          && name.regionMatches(true, off, pattern, 1, pattern.length() - 1);
    }
    return false;
  }
}
