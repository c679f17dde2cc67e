package weft.proxy.observe;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * A compiled Envoy access log format string ({@code [%START_TIME%] "%REQ(:METHOD)% ..."}): literal
 * text and {@code %COMMAND%}, {@code %COMMAND(arg)%} or {@code %COMMAND(arg):max_len%} operators
 * (docs/root/configuration/observability/access_log/usage.rst). Parsed once; formatting only
 * appends to a builder. Immutable and shared by every event loop.
 */
public final class AccessLogFormat {
  /** Envoy's default format, used when a logger sets no {@code log_format}. */
  public static final String ENVOY_DEFAULT =
      "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" "
          + "%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
          + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" "
          + "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" "
          + "\"%UPSTREAM_HOST%\"\n";

  /** One piece of a format. */
  sealed interface Part {
    /** Appends the value; returns false, appending nothing, when it is absent. */
    boolean append(AccessLogRecord r, StringBuilder sb);

    /** Whether json_format prints the value as a number. */
    default boolean numeric() {
      return false;
    }
  }

  record Literal(String text) implements Part {
    @Override
    public boolean append(AccessLogRecord r, StringBuilder sb) {
      sb.append(text);
      return true;
    }
  }

  record Field(LogField field) implements Part {
    @Override
    public boolean append(AccessLogRecord r, StringBuilder sb) {
      return field.append(r, sb);
    }

    @Override
    public boolean numeric() {
      return field.numeric;
    }
  }

  enum HeaderSource {
    REQ,
    RESP,
    TRAILER
  }

  private static final AsciiString ORIGINAL_PATH = AsciiString.cached("x-envoy-original-path");

  /** {@code %REQ(main?alt)%}: the first header present; {@code alt} may be null. */
  record Header(HeaderSource source, AsciiString main, AsciiString alt) implements Part {
    @Override
    public boolean append(AccessLogRecord r, StringBuilder sb) {
      return lookup(r, main, sb) || (alt != null && lookup(r, alt, sb));
    }

    private boolean lookup(AccessLogRecord r, AsciiString name, StringBuilder sb) {
      if (name.charAt(0) == ':') {
        return pseudo(r, name, sb);
      }
      HttpHeaders h =
          switch (source) {
            case REQ -> r.requestHeaders();
            case RESP -> r.responseHeaders();
            case TRAILER -> r.responseTrailers();
          };
      if (h != null && LogField.text(h.get(name), sb)) {
        return true;
      }
      return source == HeaderSource.REQ
          && name.contentEquals(ORIGINAL_PATH)
          && LogField.text(r.originalPath(), sb);
    }

    private boolean pseudo(AccessLogRecord r, AsciiString name, StringBuilder sb) {
      if (source == HeaderSource.RESP) {
        if (name.contentEquals(":status") && r.responseCode() > 0) {
          sb.append(r.responseCode());
          return true;
        }
        return false;
      }
      if (source != HeaderSource.REQ) {
        return false;
      }
      if (name.contentEquals(":method")) {
        return LogField.text(r.requestMethod(), sb);
      }
      if (name.contentEquals(":path")) {
        return LogField.text(r.requestPath(), sb);
      }
      if (name.contentEquals(":authority")) {
        return LogField.text(r.authority(), sb);
      }
      if (name.contentEquals(":scheme")) {
        return LogField.text(r.scheme(), sb);
      }
      return false;
    }
  }

  record StartTime(StartTimeFormat format) implements Part {
    @Override
    public boolean append(AccessLogRecord r, StringBuilder sb) {
      format.append(r.startEpochMillis(), sb);
      return true;
    }
  }

  /** Truncates another part's value to {@code maxLen} characters ({@code %REQ(X):10%}). */
  record Truncated(Part part, int maxLen) implements Part {
    @Override
    public boolean append(AccessLogRecord r, StringBuilder sb) {
      int start = sb.length();
      boolean present = part.append(r, sb);
      if (sb.length() - start > maxLen) {
        sb.setLength(start + maxLen);
      }
      return present;
    }

    @Override
    public boolean numeric() {
      return part.numeric();
    }
  }

  private final List<Part> parts;
  private final String absent;

  private AccessLogFormat(List<Part> parts, String absent) {
    this.parts = List.copyOf(parts);
    this.absent = absent;
  }

  /** Compiles a format; each problem (e.g. an unknown command) is recorded at {@code path}. */
  public static AccessLogFormat compile(String format, ConfigPath path, ConfigProblems problems) {
    return new AccessLogFormat(AccessLogFormatParser.parse(format, path, problems), "-");
  }

  /**
   * This format printing absent values as nothing instead of {@code -} ({@code omit_empty_values}).
   */
  AccessLogFormat omittingEmptyValues() {
    return new AccessLogFormat(parts, "");
  }

  /** The formatted line (for a text format, with whatever newline the format ends with). */
  public String format(AccessLogRecord r) {
    StringBuilder sb = new StringBuilder(256);
    appendTo(r, sb);
    return sb.toString();
  }

  /** Appends the formatted line; absent values print as {@code -}, as Envoy's. */
  public void appendTo(AccessLogRecord r, StringBuilder sb) {
    for (Part p : parts) {
      if (!p.append(r, sb)) {
        sb.append(absent);
      }
    }
  }

  List<Part> parts() {
    return parts;
  }
}
