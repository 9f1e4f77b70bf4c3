/** HTTP conventions shared by the REST API and the gateway. */
@NullMarked
package io.pulse.common.http;

import org.jspecify.annotations.NullMarked;
