package weft.proxy.route;

import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * The header additions and removals that apply to one route, in Envoy's order. Each config level
 * (route configuration, virtual host, route) first removes its {@code *_headers_to_remove}, then
 * applies its {@code *_headers_to_add}. Levels run from the route outwards, so the route
 * configuration's values win, unless {@code most_specific_header_mutations_wins} reverses that
 * (route_components.proto, Route.request_headers_to_add: "applied before headers from the
 * enclosing VirtualHost and RouteConfiguration"). Immutable; {@link #apply} is called on the
 * stream's event loop.
 */
public final class HeaderMutations {
  public static final HeaderMutations NONE = new HeaderMutations(new Level[0]);

  record Add(String name, HeaderValueTemplate value, HeaderAppendAction action, boolean keepEmpty) {}

  /** One config level's removals and additions. */
  record Level(String[] removes, Add[] adds) {
    static final Level EMPTY = new Level(new String[0], new Add[0]);

    boolean isEmpty() {
      return removes.length == 0 && adds.length == 0;
    }
  }

  private final Level[] levels;

  private HeaderMutations(Level[] levels) {
    this.levels = levels;
  }

  /** Combines the three levels in Envoy's evaluation order. */
  static HeaderMutations of(boolean mostSpecificWins, Level routeConfig, Level virtualHost, Level route) {
    List<Level> order = mostSpecificWins
        ? List.of(routeConfig, virtualHost, route)
        : List.of(route, virtualHost, routeConfig);
    Level[] nonEmpty = order.stream().filter(l -> !l.isEmpty()).toArray(Level[]::new);
    return nonEmpty.length == 0 ? NONE : new HeaderMutations(nonEmpty);
  }

  /**
   * {@code first} evaluated before these mutations: a weighted cluster's own headers run before
   * its route's (Envoy's WeightedClusterEntry::finalizeRequestHeaders).
   */
  HeaderMutations after(Level first) {
    if (first.isEmpty()) {
      return this;
    }
    Level[] l = new Level[levels.length + 1];
    l[0] = first;
    System.arraycopy(levels, 0, l, 1, levels.length);
    return new HeaderMutations(l);
  }

  static Level compileLevel(
      List<HeaderValueOption> adds,
      List<String> removes,
      ConfigPath addPath,
      ConfigPath removePath,
      ConfigProblems problems) {
    if (adds.isEmpty() && removes.isEmpty()) {
      return Level.EMPTY;
    }
    List<String> rm = new ArrayList<>();
    for (int i = 0; i < removes.size(); i++) {
      String n = removes.get(i).toLowerCase(Locale.ROOT);
      if (!modifiable(n)) {
        problems.add(removePath.index(i), "'" + removes.get(i)
            + "' may not be removed (expected: a header that is not a pseudo-header or host)");
      } else {
        rm.add(n);
      }
    }
    List<Add> ad = new ArrayList<>();
    for (int i = 0; i < adds.size(); i++) {
      Add a = compileAdd(adds.get(i), addPath.index(i), problems);
      if (a != null) {
        ad.add(a);
      }
    }
    return new Level(rm.toArray(String[]::new), ad.toArray(Add[]::new));
  }

  @SuppressWarnings("deprecation") // the legacy append field maps onto append_action
  private static Add compileAdd(HeaderValueOption o, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(o, path, problems, "header", "append", "append_action", "keep_empty_value");
    HeaderValue hv = o.getHeader();
    ConfigPath hp = path.field("header");
    SupportedFields.check(hv, hp, problems, "key", "value", "raw_value");
    String key = hv.getKey().toLowerCase(Locale.ROOT);
    if (!modifiable(key)) {
      problems.add(hp.field("key"), "'" + hv.getKey()
          + "' may not be modified (expected: a header that is not a pseudo-header or host)");
      return null;
    }
    if (!hv.getValue().isEmpty() && !hv.getRawValue().isEmpty()) {
      problems.add(hp, "only one of value and raw_value may be set");
      return null;
    }
    String raw = hv.getRawValue().isEmpty() ? hv.getValue() : hv.getRawValue().toString(StandardCharsets.UTF_8);
    HeaderValueTemplate t = HeaderValueTemplate.compile(raw, hp.field("value"), problems);
    if (t == null) {
      return null;
    }
    HeaderAppendAction action = o.getAppendAction();
    if (o.hasAppend()) {
      if (action != HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD) {
        problems.add(path, "append and append_action are both set (expected: only append_action)");
        return null;
      }
      action = o.getAppend().getValue()
          ? HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
          : HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
    }
    if (action == HeaderAppendAction.UNRECOGNIZED) {
      problems.unsupported(path.field("append_action"), "append_action " + o.getAppendActionValue());
      return null;
    }
    return new Add(key, t, action, o.getKeepEmptyValue());
  }

  private static boolean modifiable(String lowerName) {
    return !lowerName.isEmpty() && lowerName.charAt(0) != ':' && !lowerName.equals("host");
  }

  public boolean isEmpty() {
    return levels.length == 0;
  }

  /**
   * Applies the mutations to {@code headers}. Values with variables are rendered against {@code
   * req} (for response headers too: {@code %REQ(..)%} reads the request, as in Envoy).
   */
  public void apply(HttpHeaders headers, RouteRequest req) {
    for (Level level : levels) {
      for (String r : level.removes()) {
        headers.remove(r);
      }
      for (Add a : level.adds()) {
        String v = a.value().render(req);
        if (v.isEmpty() && !a.keepEmpty()) {
          continue;
        }
        switch (a.action()) {
          case APPEND_IF_EXISTS_OR_ADD -> headers.add(a.name(), v);
          case ADD_IF_ABSENT -> {
            if (!headers.contains(a.name())) {
              headers.add(a.name(), v);
            }
          }
          case OVERWRITE_IF_EXISTS_OR_ADD -> headers.set(a.name(), v);
          case OVERWRITE_IF_EXISTS -> {
            if (headers.contains(a.name())) {
              headers.set(a.name(), v);
            }
          }
          case UNRECOGNIZED -> throw new IllegalStateException("rejected at compile");
        }
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("HeaderMutations[");
    for (Level l : levels) {
      sb.append("-").append(Arrays.toString(l.removes()));
      for (Add a : l.adds()) {
        sb.append(" ").append(a.name()).append("=").append(a.value()).append(" ").append(a.action());
      }
      sb.append(";");
    }
    return sb.append("]").toString();
  }
}
