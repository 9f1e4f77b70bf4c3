/**
 * Instance accounting: what every instance, Regular or Emergency, costs and how it is used. A {@link
 * io.pulse.controlplane.accounting.Ledger} (no clock, no I/O: every input carries {@code now}) records per instance
 * its kind, function, memory, creation time, creation latency, end and busy time, fed from the lifecycle's instance
 * table (Regular Instances), from the data planes' usage reports and from the workers' listings (Emergency Instances,
 * which the control plane never creates). It publishes immutable {@link
 * io.pulse.controlplane.accounting.AccountingSnapshot}s from which totals are computed for any instant: memory held
 * and memory busy integrated over time (MiB-seconds), their ratio (PulseNet's normalized cost), creations by kind.
 * {@link io.pulse.controlplane.accounting.Accounting} is the thin adapter on the control plane's context that feeds
 * the ledger, records metrics and publishes snapshots.
 */
@NullMarked
package io.pulse.controlplane.accounting;

import org.jspecify.annotations.NullMarked;
