/** Network addresses. */
@NullMarked
package io.pulse.common.net;

import org.jspecify.annotations.NullMarked;
