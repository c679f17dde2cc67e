package weft.proxy.filter.rbac;

import java.net.InetSocketAddress;
import java.util.List;
import weft.proxy.matcher.HeaderMatcher;
import weft.proxy.matcher.PathMatcher;
import weft.proxy.matcher.StringMatcher;

/** A compiled node of an RBAC Permission or Principal tree. Immutable; evaluation allocates nothing. */
sealed interface RbacRule {
  boolean matches(RbacRequest r);

  record Any() implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      return true;
    }
  }

  record And(RbacRule[] rules) implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      for (RbacRule x : rules) {
        if (!x.matches(r)) {
          return false;
        }
      }
      return true;
    }
  }

  record Or(RbacRule[] rules) implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      for (RbacRule x : rules) {
        if (x.matches(r)) {
          return true;
        }
      }
      return false;
    }
  }

  record Not(RbacRule rule) implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      return !rule.matches(r);
    }
  }

  /** {@code header}: on an L4 check there are no headers, as in Envoy's network filter. */
  record Header(HeaderMatcher matcher) implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      return matcher.matches(r);
    }
  }

  /** {@code url_path}: the path without query and fragment; no path (L4) never matches. */
  record UrlPath(PathMatcher matcher) implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      return matcher.matches(r.path());
    }
  }

  enum AddressKind { DESTINATION, SOURCE, DIRECT_REMOTE, REMOTE }

  record Ip(AddressKind kind, CidrMatcher cidr) implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      InetSocketAddress a = switch (kind) {
        case DESTINATION -> r.localAddress();
        case SOURCE -> r.sourceAddress();
        case DIRECT_REMOTE -> r.directRemoteAddress();
        case REMOTE -> r.remoteAddress();
      };
      return cidr.matches(a);
    }
  }

  /** destination_port (start == end - 1) or destination_port_range [start, end). */
  record DestinationPort(int start, int end) implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      InetSocketAddress a = r.localAddress();
      return a != null && a.getPort() >= start && a.getPort() < end;
    }
  }

  /** requested_server_name: a connection without SNI matches as "". */
  record ServerName(StringMatcher matcher) implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      String sni = r.requestedServerName();
      return matcher.matches(sni == null ? "" : sni);
    }
  }

  /**
   * authenticated: requires TLS; without principal_name any TLS peer matches; otherwise URI SANs,
   * then DNS SANs, then the subject are tried (Envoy's AuthenticatedMatcher).
   */
  record Authenticated(StringMatcher principal) implements RbacRule {
    @Override
    public boolean matches(RbacRequest r) {
      if (!r.tls()) {
        return false;
      }
      if (principal == null) {
        return true;
      }
      if (anyMatch(r.peerUriSans()) || anyMatch(r.peerDnsSans())) {
        return true;
      }
      String subject = r.peerSubject();
      return principal.matches(subject == null ? "" : subject);
    }

    private boolean anyMatch(List<String> values) {
      if (values == null) {
        return false;
      }
      for (int i = 0; i < values.size(); i++) {
        if (principal.matches(values.get(i))) {
          return true;
        }
      }
      return false;
    }
  }
}
