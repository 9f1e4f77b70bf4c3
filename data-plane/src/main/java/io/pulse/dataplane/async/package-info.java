/**
 * The gateway's side of async invocations: it recognises them ({@code /async/fn/...}, or {@code Pulse-Async: true}
 * with either routing form), reads the body within a bound and hands the request to the control plane's leader,
 * answering 202 once the leader says it is durable. No disk and no Hazelcast here.
 */
@NullMarked
package io.pulse.dataplane.async;

import org.jspecify.annotations.NullMarked;
