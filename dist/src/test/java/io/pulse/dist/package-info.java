/**
 * Checks of the release tarball as an operator receives it: unpacked somewhere else, run with nothing but a JDK, its
 * argument files accepted by the commands they configure.
 */
@NullMarked
package io.pulse.dist;

import org.jspecify.annotations.NullMarked;
