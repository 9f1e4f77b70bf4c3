package io.pulse.controlplane.async;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** An async invocation as a data plane hands it over, before it has an id. */
public record AcceptRequest(String function, String method, String uri, List<Invocation.Header> headers,
    byte[] body, @Nullable String callbackUrl) {}
