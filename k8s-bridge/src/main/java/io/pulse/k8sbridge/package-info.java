/**
 * The Kubernetes bridge: mirrors workers as Nodes and Regular Instances as Pods so that BaaS components can co-locate
 * with functions. Not built yet; see the project's issues.
 */
@NullMarked
package io.pulse.k8sbridge;

import org.jspecify.annotations.NullMarked;
