/**
 * Observability: the stats store under Envoy's names and its expositions, and access logs.
 *
 * <ul>
 *   <li>{@code StatsStore}, {@code Counter}, {@code Gauge}, {@code Histogram}: lock-free stats,
 *       looked up at config compile time.
 *   <li>{@code StatsText} (admin {@code /stats}, text and json), {@code PrometheusText} ({@code
 *       /stats/prometheus}), {@code StatTags} (Envoy's default tag extraction), {@code StatsQuery}
 *       ({@code ?filter=}, {@code ?usedonly}).
 *   <li>{@code AccessLogs} compiles {@code access_log} lists into an {@code AccessLogger}; {@code
 *       AccessLogFormat} / {@code JsonLogFormat} are the compiled formats over an {@code
 *       AccessLogRecord}; {@code AccessLogWriter} writes lines off the event loops.
 *   <li>{@code GrpcAccessLogs} compiles Envoy's gRPC loggers ({@code http_grpc}, {@code tcp_grpc});
 *       {@code AccessLogEntries} fills their protos; {@code GrpcAccessLogSink} (one per proxy
 *       runtime) streams them to an {@code AccessLogService} from one sender thread.
 * </ul>
 */
package weft.proxy.observe;
