package weft.proxy.observe;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * Compiles Envoy {@code access_log} lists (HCM, tcp_proxy, listener) into an {@link AccessLogger}.
 * Loggers: {@code envoy.access_loggers.file} ({@code FileAccessLog}: path, log_format) and {@code
 * envoy.access_loggers.stdout} / {@code stderr}, and the gRPC loggers {@code
 * envoy.access_loggers.http_grpc} / {@code tcp_grpc} ({@link GrpcAccessLogs}); formats: text ({@code text_format}, {@code
 * text_format_source}) and {@code json_format}, Envoy's default when unset. Filters: see {@link
 * AccessLogFilters}.
 */
public final class AccessLogs {
  private AccessLogs() {}

  private interface Line {
    String format(AccessLogRecord r);
  }

  private record Sink(AccessLogFilters.Filter filter, AccessLogger out) {
    static Sink lines(
        AccessLogFilters.Filter filter, Line line, AccessLogWriter.Destination d, AccessLogWriter w) {
      return new Sink(filter, r -> w.offer(d, line.format(r)));
    }
  }

  /** File and stream loggers only: a gRPC logger is a problem here (no runtime to send from). */
  public static AccessLogger compile(
      List<AccessLog> logs, ConfigPath path, ConfigProblems problems, AccessLogWriter writer) {
    return compile(logs, path, problems, writer, null);
  }

  /**
   * @param grpc the runtime's gRPC access log context, for {@code envoy.access_loggers.http_grpc}
   *     and {@code tcp_grpc} (see {@link GrpcAccessLogs}); null refuses them
   */
  public static AccessLogger compile(List<AccessLog> logs, ConfigPath path,
      ConfigProblems problems, AccessLogWriter writer, GrpcAccessLogs.Context grpc) {
    List<Sink> sinks = new ArrayList<>();
    for (int i = 0; i < logs.size(); i++) {
      Sink s = sink(logs.get(i), path.index(i), problems, writer, grpc);
      if (s != null) {
        sinks.add(s);
      }
    }
    if (sinks.isEmpty()) {
      return AccessLogger.NONE;
    }
    Sink[] all = sinks.toArray(new Sink[0]);
    return record -> {
      for (Sink s : all) {
        if (s.filter() == null || s.filter().test(record)) {
          s.out().log(record);
        }
      }
    };
  }

  private static Sink sink(AccessLog log, ConfigPath path, ConfigProblems problems,
      AccessLogWriter writer, GrpcAccessLogs.Context grpc) {
    SupportedFields.check(log, path, problems, "name", "typed_config", "filter");
    AccessLogFilters.Filter filter =
        log.hasFilter()
            ? AccessLogFilters.compile(log.getFilter(), path.field("filter"), problems)
            : null;
    if (log.getConfigTypeCase() != AccessLog.ConfigTypeCase.TYPED_CONFIG) {
      problems.add(path, "access log " + log.getName() + " has no typed_config");
      return null;
    }
    ConfigPath tp = path.field("typed_config");
    Any any = log.getTypedConfig();
    try {
      if (any.is(FileAccessLog.class)) {
        FileAccessLog f = any.unpack(FileAccessLog.class);
        SupportedFields.check(f, tp, problems, "path", "log_format");
        Line line =
            line(f.hasLogFormat() ? f.getLogFormat() : null, tp.field("log_format"), problems);
        if (f.getPath().isEmpty()) {
          problems.add(tp.field("path"), "file access log needs a path");
          return null;
        }
        try {
          return Sink.lines(filter, line, writer.file(f.getPath()), writer);
        } catch (IOException e) {
          problems.add(tp.field("path"), "cannot open " + f.getPath() + ": " + e.getMessage());
          return null;
        }
      }
      if (any.is(StdoutAccessLog.class)) {
        StdoutAccessLog s = any.unpack(StdoutAccessLog.class);
        SupportedFields.check(s, tp, problems, "log_format");
        Line line =
            line(s.hasLogFormat() ? s.getLogFormat() : null, tp.field("log_format"), problems);
        return Sink.lines(filter, line, writer.stdout(), writer);
      }
      if (any.is(StderrAccessLog.class)) {
        StderrAccessLog s = any.unpack(StderrAccessLog.class);
        SupportedFields.check(s, tp, problems, "log_format");
        Line line =
            line(s.hasLogFormat() ? s.getLogFormat() : null, tp.field("log_format"), problems);
        return Sink.lines(filter, line, writer.stderr(), writer);
      }
      if (GrpcAccessLogs.handles(any)) {
        if (grpc == null) {
          problems.add(tp, "gRPC access loggers are not available here");
          return null;
        }
        AccessLogger out = GrpcAccessLogs.compile(any, tp, problems, grpc);
        return out == null ? null : new Sink(filter, out);
      }
    } catch (InvalidProtocolBufferException e) {
      problems.add(tp, "cannot decode " + any.getTypeUrl() + ": " + e.getMessage());
      return null;
    }
    problems.unsupported(tp, "access logger " + any.getTypeUrl());
    return null;
  }

  private static Line line(SubstitutionFormatString f, ConfigPath path, ConfigProblems problems) {
    if (f == null) {
      return text(AccessLogFormat.ENVOY_DEFAULT, false, path, problems);
    }
    SupportedFields.check(
        f, path, problems, "text_format", "json_format", "text_format_source", "omit_empty_values");
    boolean omit = f.getOmitEmptyValues();
    return switch (f.getFormatCase()) {
      case TEXT_FORMAT -> text(f.getTextFormat(), omit, path.field("text_format"), problems);
      case TEXT_FORMAT_SOURCE -> {
        ConfigPath sp = path.field("text_format_source");
        String text = dataSource(f.getTextFormatSource(), sp, problems);
        // A missing source is already a problem; the config will not be used.
        yield text == null ? r -> "" : text(text, omit, sp, problems);
      }
      case JSON_FORMAT -> {
        JsonLogFormat json =
            JsonLogFormat.compile(f.getJsonFormat(), omit, path.field("json_format"), problems);
        yield r -> {
          StringBuilder sb = new StringBuilder(256);
          json.appendTo(r, sb);
          return sb.toString();
        };
      }
      case FORMAT_NOT_SET -> text(AccessLogFormat.ENVOY_DEFAULT, omit, path, problems);
    };
  }

  private static Line text(String format, boolean omit, ConfigPath path, ConfigProblems problems) {
    AccessLogFormat compiled = AccessLogFormat.compile(format, path, problems);
    AccessLogFormat f = omit ? compiled.omittingEmptyValues() : compiled;
    return f::format;
  }

  private static String dataSource(DataSource d, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(
        d, path, problems, "inline_string", "inline_bytes", "filename", "environment_variable");
    return switch (d.getSpecifierCase()) {
      case INLINE_STRING -> d.getInlineString();
      case INLINE_BYTES -> d.getInlineBytes().toString(StandardCharsets.UTF_8);
      case FILENAME -> {
        try {
          yield Files.readString(Path.of(d.getFilename()));
        } catch (IOException e) {
          problems.add(
              path.field("filename"), "cannot read " + d.getFilename() + ": " + e.getMessage());
          yield null;
        }
      }
      case ENVIRONMENT_VARIABLE -> {
        String v = System.getenv(d.getEnvironmentVariable());
        if (v == null) {
          problems.add(
              path.field("environment_variable"),
              "environment variable " + d.getEnvironmentVariable() + " is not set");
        }
        yield v;
      }
      case SPECIFIER_NOT_SET -> {
        problems.add(path, "data source sets none of inline_string, inline_bytes, filename");
        yield null;
      }
    };
  }
}
