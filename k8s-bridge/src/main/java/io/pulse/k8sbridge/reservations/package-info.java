/**
 * The other direction of co-location: per physical host where a Pulse worker runs, the resource requests of the
 * non-Pulse pods there, reported to the control plane ({@code ReportHostReservations}) so that placement subtracts
 * them. {@link io.pulse.k8sbridge.reservations.HostReservationCalculator} is pure; {@link
 * io.pulse.k8sbridge.reservations.ReservationReporter} lists Nodes and Pods and sends the report periodically.
 */
@NullMarked
package io.pulse.k8sbridge.reservations;

import org.jspecify.annotations.NullMarked;
