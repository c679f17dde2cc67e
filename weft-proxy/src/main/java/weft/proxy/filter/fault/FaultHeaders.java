package weft.proxy.filter.fault;

import io.netty.util.AsciiString;

/** The request headers that control faults (fault_filter.rst, "Controlling fault injection"). */
final class FaultHeaders {
  static final AsciiString ABORT = AsciiString.cached("x-envoy-fault-abort-request");
  static final AsciiString ABORT_GRPC = AsciiString.cached("x-envoy-fault-abort-grpc-request");
  static final AsciiString ABORT_PERCENTAGE =
      AsciiString.cached("x-envoy-fault-abort-request-percentage");
  static final AsciiString DELAY = AsciiString.cached("x-envoy-fault-delay-request");
  static final AsciiString DELAY_PERCENTAGE =
      AsciiString.cached("x-envoy-fault-delay-request-percentage");
  static final AsciiString THROUGHPUT = AsciiString.cached("x-envoy-fault-throughput-response");
  static final AsciiString THROUGHPUT_PERCENTAGE =
      AsciiString.cached("x-envoy-fault-throughput-response-percentage");
  static final AsciiString DOWNSTREAM_CLUSTER =
      AsciiString.cached("x-envoy-downstream-service-cluster");

  private FaultHeaders() {}

  /** A non-negative decimal integer, or -1 when absent or malformed (no allocation). */
  static long unsigned(String value) {
    if (value == null || value.isEmpty() || value.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
