package io.pulse.dataplane.async;

import io.pulse.dataplane.routing.RequestTarget;
import org.jspecify.annotations.Nullable;

/** Whether a request asks for an async invocation, and of what. */
public final class AsyncTarget {

  public static final String PATH_PREFIX = "/async";
  public static final String ASYNC_HEADER = "Pulse-Async";
  public static final String CALLBACK_HEADER = "Pulse-Callback-Url";

  private AsyncTarget() {}

  /**
   * The target of an async request; null when the request is a synchronous one. {@code /async/fn/{name}/rest} is
   * async (unless the Host names a function: then the path is the function's own); with {@code Pulse-Async: true}
   * either routing form is.
   *
   * @param asyncHeader the Pulse-Async header, or null
   */
  public static @Nullable RequestTarget resolve(@Nullable String host, String path, @Nullable String query,
      String domain, @Nullable String asyncHeader) {
    if ("true".equalsIgnoreCase(asyncHeader)) {
      String plain = path.startsWith(PATH_PREFIX + RequestTarget.PATH_PREFIX)
          && RequestTarget.resolve(host, "/", null, domain) == null ? path.substring(PATH_PREFIX.length()) : path;
      return RequestTarget.resolve(host, plain, query, domain);
    }
    if (!path.startsWith(PATH_PREFIX + RequestTarget.PATH_PREFIX)
        || RequestTarget.resolve(host, "/", null, domain) != null) {
      return null;
    }
    return RequestTarget.resolve(null, path.substring(PATH_PREFIX.length()), query, domain);
  }

  /** Whether the request is meant to be async at all (even if it names no function: that is then a 404). */
  public static boolean wanted(@Nullable String host, String path, String domain, @Nullable String asyncHeader) {
    return "true".equalsIgnoreCase(asyncHeader) || (path.startsWith(PATH_PREFIX + "/")
        && RequestTarget.resolve(host, "/", null, domain) == null);
  }
}
