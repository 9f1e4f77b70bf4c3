/**
 * Security of the management plane: the bearer token every {@code /v1} request needs (read from a file, or made and
 * written with owner-only permissions when there is none), the guard that refuses requests without it before any
 * handler runs, and the audit log of every change (registrations, updates, deletions) with who made it — a
 * fingerprint of the token, never the token. Invocations (the data plane) are public by design and not covered here.
 */
@NullMarked
package io.pulse.controlplane.security;

import org.jspecify.annotations.NullMarked;
