package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.concurrent.EventExecutor;

/**
 * A received HTTP/2 DATA payload that gives its bytes back to the receive window only when the
 * last reference to it is released: after the other side of the proxy has written it (its
 * socket write released it) or dropped it. A slow peer on the far side therefore stops the
 * sender at the stream window instead of piling the body up on the heap. A one-component
 * composite is used because every derived buffer (duplicate, slice, retained copies kept for
 * retries) shares the root's reference count, so the hook in {@link #deallocate()} fires exactly
 * once, when nothing holds the bytes any more. No bytes are copied.
 */
public final class ReturnOnRelease extends CompositeByteBuf {
  /** Gives {@code bytes} of stream {@code streamId} back to the window (on the event loop). */
  public interface Window {
    void consumed(int streamId, int bytes);
  }

  private final EventExecutor loop;
  private final Window window;
  private final int streamId;
  private final int bytes;

  private ReturnOnRelease(ByteBuf data, EventExecutor loop, Window window, int streamId) {
    super(data.alloc(), data.isDirect(), 1, data);
    this.loop = loop;
    this.window = window;
    this.streamId = streamId;
    this.bytes = data.readableBytes();
  }

  /** Wraps {@code data} (its reference is taken over; retain it first if the caller keeps it). */
  public static ByteBuf wrap(ByteBuf data, EventExecutor loop, Window window, int streamId) {
    return new ReturnOnRelease(data, loop, window, streamId);
  }

  @Override
  protected void deallocate() {
    super.deallocate();
    if (loop.inEventLoop()) {
      window.consumed(streamId, bytes);
    } else {
      loop.execute(() -> window.consumed(streamId, bytes));
    }
  }
}
