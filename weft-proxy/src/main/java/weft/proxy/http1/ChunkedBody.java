package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.util.List;

/**
 * RFC 9112 §7.1: the chunks of a chunked body, up to and including the last-chunk line, for both
 * decoders; what comes after (the trailer section) and what an error answers are the decoder's.
 * Chunk-size lines are found with the decoder's own {@link Lines}, so that a line split across
 * reads is searched once. One per decoder; event-loop confined.
 */
final class ChunkedBody {
  /** Longest chunk-size line (size and extensions) accepted; Envoy bounds it similarly. */
  static final int MAX_CHUNK_LINE = 4096;

  /** What one {@link #decode} step did. */
  enum Step {
    /** Consumed bytes (and maybe emitted content); call again. */
    PROGRESS,
    /** Needs more bytes. */
    WAIT,
    /** Consumed the last-chunk line: the trailer section comes next. */
    LAST_CHUNK,
    /** The chunk-size line is too long or has a bare CR or LF. */
    BAD_LINE,
    /** The chunk-size line does not parse, or chunk-data is not followed by CRLF. */
    MALFORMED
  }

  private enum Part {
    SIZE,
    DATA,
    DATA_END
  }

  private final Lines lines;
  private Part part = Part.SIZE;
  private long remaining;

  ChunkedBody(Lines lines) {
    this.lines = lines;
  }

  /** Starts a new chunked body. */
  void start() {
    part = Part.SIZE;
  }

  /** One step: a chunk-size line, a slice of chunk-data (emitted as content) or its CRLF. */
  Step decode(ByteBuf in, List<Object> out) {
    return switch (part) {
      case SIZE -> size(in);
      case DATA -> data(in, out);
      case DATA_END -> dataEnd(in);
    };
  }

  private Step size(ByteBuf in) {
    int len = lines.find(in, MAX_CHUNK_LINE);
    if (len < 0) {
      return len == Lines.INCOMPLETE ? Step.WAIT : Step.BAD_LINE;
    }
    long size = ChunkLine.parse(in, in.readerIndex(), len);
    if (size < 0) {
      return Step.MALFORMED;
    }
    in.skipBytes(len + 2);
    if (size == 0) {
      return Step.LAST_CHUNK;
    }
    remaining = size;
    part = Part.DATA;
    return Step.PROGRESS;
  }

  private Step data(ByteBuf in, List<Object> out) {
    int n = (int) Math.min(remaining, in.readableBytes());
    if (n == 0) {
      return Step.WAIT;
    }
    out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
    remaining -= n;
    if (remaining == 0) {
      part = Part.DATA_END;
    }
    return Step.PROGRESS;
  }

  /** Chunk-data is followed by exactly CRLF (a bare LF is not a line end here). */
  private Step dataEnd(ByteBuf in) {
    int readable = in.readableBytes();
    if (readable == 0) {
      return Step.WAIT;
    }
    int r = in.readerIndex();
    if (in.getByte(r) != '\r' || (readable > 1 && in.getByte(r + 1) != '\n')) {
      return Step.MALFORMED;
    }
    if (readable == 1) {
      return Step.WAIT;
    }
    in.skipBytes(2);
    part = Part.SIZE;
    return Step.PROGRESS;
  }
}
