package io.pulse.controlplane.autoscale;

/**
 * What the KPA remembers between two decisions of one function about a surge.
 *
 * @param sinceMillis the last time the panic condition held; meaningless when not {@code active}
 * @param maxInstances the highest count decided while panicking (panic mode never goes below it)
 */
public record PanicState(boolean active, long sinceMillis, int maxInstances) {

  public static final PanicState CALM = new PanicState(false, 0, 0);
}
