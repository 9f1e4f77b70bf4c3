/**
 * The Kubernetes bridge: follows the control-plane leader's stream of workers and Regular Instances and mirrors them
 * into a Kubernetes cluster (workers as Nodes with Leases, instances as Pods bound to them, functions as Services that
 * reach the data plane), so that BaaS components can co-locate with functions. {@link io.pulse.k8sbridge.K8sBridge}
 * wires the parts; {@code view} is what the bridge knows of Pulse, {@code watch} keeps it current, {@code resources}
 * turns it into desired objects, {@code reconcile} makes the cluster match, {@code reservations} reports what
 * non-Pulse pods hold on each host.
 */
@NullMarked
package io.pulse.k8sbridge;

import org.jspecify.annotations.NullMarked;
