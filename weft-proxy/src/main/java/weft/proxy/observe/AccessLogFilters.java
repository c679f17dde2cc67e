package weft.proxy.observe;

import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ComparisonFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.matcher.HeaderMatcher;
import weft.proxy.matcher.HeaderSource;

/**
 * Envoy's access log filters ({@code config.accesslog.v3.AccessLogFilter}): status_code, duration,
 * header, response_flag, not_health_check, and, or. weft has no runtime layer, so a comparison uses
 * its {@code default_value}, as Envoy does when the runtime key is unset; and it has no
 * health-check HTTP filter, so no request is a health check and {@code not_health_check_filter}
 * passes every request, as in an Envoy without that filter.
 */
final class AccessLogFilters {
  /** Whether a finished request is logged. Immutable; called on the request's event loop. */
  @FunctionalInterface
  interface Filter {
    boolean test(AccessLogRecord r);
  }

  /** Envoy's short response flags (StreamInfo::ResponseFlagUtils), for validating the filter. */
  private static final Set<String> RESPONSE_FLAGS =
      Set.of(
          "LH", "UH", "UT", "LR", "UR", "UF", "UC", "UO", "NR", "DI", "FI", "RL", "UAEX", "RLSE",
          "DC", "URX", "SI", "IH", "DPE", "UMSDR", "RFCF", "NFCF", "DT", "UPE", "NC", "OM", "DF",
          "DO", "DR");

  private AccessLogFilters() {}

  static Filter compile(AccessLogFilter f, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(
        f,
        path,
        problems,
        "status_code_filter",
        "duration_filter",
        "and_filter",
        "or_filter",
        "header_filter",
        "response_flag_filter",
        "not_health_check_filter");
    return switch (f.getFilterSpecifierCase()) {
      case STATUS_CODE_FILTER -> {
        ConfigPath p = path.field("status_code_filter");
        SupportedFields.check(f.getStatusCodeFilter(), p, problems, "comparison");
        Comparison c =
            comparison(f.getStatusCodeFilter().getComparison(), p.field("comparison"), problems);
        yield r -> c.test(r.responseCode());
      }
      case DURATION_FILTER -> {
        ConfigPath p = path.field("duration_filter");
        SupportedFields.check(f.getDurationFilter(), p, problems, "comparison");
        Comparison c =
            comparison(f.getDurationFilter().getComparison(), p.field("comparison"), problems);
        yield r -> c.test(r.durationMillis());
      }
      case AND_FILTER -> {
        Filter[] all = all(f.getAndFilter().getFiltersList(), path.field("and_filter"), problems);
        yield r -> {
          for (Filter x : all) {
            if (!x.test(r)) {
              return false;
            }
          }
          return true;
        };
      }
      case OR_FILTER -> {
        Filter[] any = all(f.getOrFilter().getFiltersList(), path.field("or_filter"), problems);
        yield r -> {
          for (Filter x : any) {
            if (x.test(r)) {
              return true;
            }
          }
          return false;
        };
      }
      case HEADER_FILTER -> {
        ConfigPath p = path.field("header_filter");
        SupportedFields.check(f.getHeaderFilter(), p, problems, "header");
        HeaderMatcher m =
            HeaderMatcher.compile(f.getHeaderFilter().getHeader(), p.field("header"), problems);
        yield m == null ? r -> false : r -> m.matches(requestHeaders(r));
      }
      case RESPONSE_FLAG_FILTER -> {
        ConfigPath p = path.field("response_flag_filter");
        SupportedFields.check(f.getResponseFlagFilter(), p, problems, "flags");
        List<String> flags = f.getResponseFlagFilter().getFlagsList();
        for (int i = 0; i < flags.size(); i++) {
          if (!RESPONSE_FLAGS.contains(flags.get(i))) {
            problems.add(p.field("flags").index(i), "unknown response flag " + flags.get(i));
          }
        }
        String[] wanted = flags.toArray(new String[0]);
        yield r -> hasFlag(r.responseFlags(), wanted);
      }
      case NOT_HEALTH_CHECK_FILTER -> r -> true;
      default -> {
        problems.unsupported(path, "access log filter " + f.getFilterSpecifierCase());
        yield r -> true;
      }
    };
  }

  private static HeaderSource requestHeaders(AccessLogRecord r) {
    return name ->
        HeaderSource.resolve(
            name,
            r.requestMethod(),
            r.authority(),
            r.requestPath(),
            r.scheme(),
            r.requestHeaders());
  }

  /**
   * Envoy: with no flags listed, any flag matches; otherwise one of the listed ones must be set.
   * {@code flags} is the record's comma-separated list; {@code -} or empty means none.
   */
  static boolean hasFlag(String flags, String[] wanted) {
    if (flags == null || flags.isEmpty() || flags.equals("-")) {
      return false;
    }
    if (wanted.length == 0) {
      return true;
    }
    int start = 0;
    while (start <= flags.length()) {
      int end = flags.indexOf(',', start);
      if (end < 0) {
        end = flags.length();
      }
      for (String w : wanted) {
        if (w.length() == end - start && flags.startsWith(w, start)) {
          return true;
        }
      }
      start = end + 1;
    }
    return false;
  }

  private static Filter[] all(List<AccessLogFilter> fs, ConfigPath path, ConfigProblems problems) {
    List<Filter> out = new ArrayList<>();
    for (int i = 0; i < fs.size(); i++) {
      out.add(compile(fs.get(i), path.field("filters").index(i), problems));
    }
    return out.toArray(new Filter[0]);
  }

  private record Comparison(ComparisonFilter.Op op, long value) {
    boolean test(long actual) {
      return switch (op) {
        case EQ -> actual == value;
        case GE -> actual >= value;
        case LE -> actual <= value;
        case UNRECOGNIZED -> false;
      };
    }
  }

  private static Comparison comparison(
      ComparisonFilter c, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(c, path, problems, "op", "value");
    SupportedFields.check(
        c.getValue(), path.field("value"), problems, "default_value", "runtime_key");
    if (c.getOp() == ComparisonFilter.Op.UNRECOGNIZED) {
      problems.unsupported(path.field("op"), "comparison op " + c.getOpValue());
    }
    return new Comparison(c.getOp(), Integer.toUnsignedLong(c.getValue().getDefaultValue()));
  }
}
