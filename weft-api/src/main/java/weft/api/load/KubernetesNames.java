package weft.api.load;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes' name rules (apimachinery validation): DNS-1123 labels and subdomains, qualified label
 * keys, label values and IANA service names for named ports. Each check returns the problem text,
 * or empty when the value is valid.
 */
final class KubernetesNames {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private KubernetesNames() {}

  /** Namespace names: RFC 1123 label, at most 63 characters. */
  static Optional<String> checkDnsLabel(String s) {
    if (s.length() > 63 || !DNS_LABEL.matcher(s).matches()) {
      return Optional.of(
          "invalid name " + Values.quote(s)
              + " (expected: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)");
    }
    return Optional.empty();
  }

  /** Most resource names: RFC 1123 subdomain, at most 253 characters. */
  static Optional<String> checkDnsSubdomain(String s) {
    if (s.length() > 253 || !DNS_SUBDOMAIN.matcher(s).matches()) {
      return Optional.of(
          "invalid name " + Values.quote(s)
              + " (expected: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)");
    }
    return Optional.empty();
  }

  /** Label keys: {@code [prefix/]name}, prefix a DNS subdomain, name at most 63 characters. */
  static Optional<String> checkLabelKey(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return Optional.of(
            "invalid label key " + Values.quote(key) + " (expected: the prefix before '/' to be a DNS subdomain)");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
      return Optional.of(
          "invalid label key " + Values.quote(key)
              + " (expected: [prefix/]name, name at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)");
    }
    return Optional.empty();
  }

  static Optional<String> checkLabelValue(String value) {
    if (value.length() > 63 || (!value.isEmpty() && !QUALIFIED_NAME.matcher(value).matches())) {
      return Optional.of(
          "invalid label value " + Values.quote(value)
              + " (expected: empty or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)");
    }
    return Optional.empty();
  }

  /** Named ports: IANA_SVC_NAME, 1-15 characters, with a letter, no "--". */
  static Optional<String> checkPortName(String s) {
    if (s.isEmpty() || s.length() > 15 || !SVC_NAME.matcher(s).matches() || s.contains("--")
        || s.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
      return Optional.of(
          "invalid port name " + Values.quote(s)
              + " (expected: 1-15 lower-case letters, digits and '-', with at least one letter)");
    }
    return Optional.empty();
  }
}
