/**
 * Failures a caller of the gateway is told about by reference only. A 502 or 504 says what happened in general words
 * and carries a ref ({@link io.pulse.dataplane.failures.PublicErrors}); what the worker or the instance said (a
 * function's last log lines may hold its secrets, an endpoint is an internal address) goes, under that ref, to
 * Pulse's log and to the control plane, which shows it on the token-protected function status
 * ({@link io.pulse.dataplane.failures.FailureNotes}).
 */
@NullMarked
package io.pulse.dataplane.failures;

import org.jspecify.annotations.NullMarked;
