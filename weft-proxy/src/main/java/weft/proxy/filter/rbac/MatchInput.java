package weft.proxy.filter.rbac;

import com.github.xds.core.v3.TypedExtensionConfig;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DirectSourceIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ServerNameInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.SourceIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.SourcePortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.ssl.v3.DnsSanInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.ssl.v3.SubjectInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.ssl.v3.UriSanInput;
import io.envoyproxy.envoy.type.matcher.v3.HttpRequestHeaderMatchInput;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.matcher.StringMatcher;

/**
 * A matcher-tree data input: extracts one string from the request, or null when the data is not
 * there (a header that is absent, a connection without TLS). Supported inputs: request headers
 * (values joined with ","), destination/source/direct-source IP, destination/source port, server
 * name, and the peer certificate's URI SANs, DNS SANs (joined with ",") and subject.
 */
@FunctionalInterface
interface MatchInput {
  String get(RbacRequest r);

  static MatchInput compile(TypedExtensionConfig c, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(c, path, problems, "name", "typed_config");
    Any any = c.getTypedConfig();
    ConfigPath tp = path.field("typed_config");
    try {
      if (any.is(HttpRequestHeaderMatchInput.class)) {
        var h = any.unpack(HttpRequestHeaderMatchInput.class);
        SupportedFields.check(h, tp, problems, "header_name");
        if (h.getHeaderName().isEmpty()) {
          problems.add(tp.field("header_name"), "must not be empty");
          return null;
        }
        String name = h.getHeaderName().toLowerCase(Locale.ROOT);
        return r -> r.header(name);
      }
      if (any.is(DestinationIPInput.class)) {
        return empty(any.unpack(DestinationIPInput.class), tp, problems, r -> ip(r.localAddress()));
      }
      if (any.is(DestinationPortInput.class)) {
        return empty(any.unpack(DestinationPortInput.class), tp, problems, r -> port(r.localAddress()));
      }
      if (any.is(SourceIPInput.class)) {
        return empty(any.unpack(SourceIPInput.class), tp, problems, r -> ip(r.remoteAddress()));
      }
      if (any.is(SourcePortInput.class)) {
        return empty(any.unpack(SourcePortInput.class), tp, problems, r -> port(r.remoteAddress()));
      }
      if (any.is(DirectSourceIPInput.class)) {
        return empty(any.unpack(DirectSourceIPInput.class), tp, problems, r -> ip(r.directRemoteAddress()));
      }
      if (any.is(ServerNameInput.class)) {
        return empty(any.unpack(ServerNameInput.class), tp, problems, r -> {
          String sni = r.requestedServerName();
          return sni == null || sni.isEmpty() ? null : sni;
        });
      }
      if (any.is(UriSanInput.class)) {
        return empty(any.unpack(UriSanInput.class), tp, problems, r -> r.tls() ? joined(r.peerUriSans()) : null);
      }
      if (any.is(DnsSanInput.class)) {
        return empty(any.unpack(DnsSanInput.class), tp, problems, r -> r.tls() ? joined(r.peerDnsSans()) : null);
      }
      if (any.is(SubjectInput.class)) {
        return empty(any.unpack(SubjectInput.class), tp, problems, r -> {
          String s = r.tls() ? r.peerSubject() : null;
          return s == null || s.isEmpty() ? null : s;
        });
      }
    } catch (InvalidProtocolBufferException e) {
      problems.add(tp, "cannot decode " + any.getTypeUrl() + ": " + e.getMessage());
      return null;
    }
    problems.unsupported(tp, "matching input " + any.getTypeUrl());
    return null;
  }

  private static MatchInput empty(Message m, ConfigPath path, ConfigProblems problems, MatchInput input) {
    SupportedFields.check(m, path, problems);
    return input;
  }

  private static String ip(InetSocketAddress a) {
    return a == null || a.getAddress() == null ? null : a.getAddress().getHostAddress();
  }

  private static String port(InetSocketAddress a) {
    return a == null ? null : Integer.toString(a.getPort());
  }

  private static String joined(List<String> values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  /** Compiles an xds StringMatcher (same fields as Envoy's) with the shared StringMatcher. */
  static StringMatcher stringMatcher(
      com.github.xds.type.matcher.v3.StringMatcher x, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(x, path, problems, "exact", "prefix", "suffix", "safe_regex", "contains", "ignore_case");
    var b = io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder().setIgnoreCase(x.getIgnoreCase());
    switch (x.getMatchPatternCase()) {
      case EXACT -> b.setExact(x.getExact());
      case PREFIX -> b.setPrefix(x.getPrefix());
      case SUFFIX -> b.setSuffix(x.getSuffix());
      case CONTAINS -> b.setContains(x.getContains());
      case SAFE_REGEX -> {
        ConfigPath rp = path.field("safe_regex");
        SupportedFields.check(x.getSafeRegex(), rp, problems, "google_re2", "regex");
        SupportedFields.check(x.getSafeRegex().getGoogleRe2(), rp.field("google_re2"), problems);
        b.setSafeRegex(RegexMatcher.newBuilder().setRegex(x.getSafeRegex().getRegex()));
      }
      case CUSTOM -> {
        return null; // "custom" is not a supported field: SupportedFields.check reported it
      }
      case MATCHPATTERN_NOT_SET -> { }
    }
    return StringMatcher.compile(b.build(), path, problems);
  }
}
