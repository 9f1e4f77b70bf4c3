/** The client side of the command: function registration and invocation over HTTP. */
@NullMarked
package io.pulse.cli.client;

import org.jspecify.annotations.NullMarked;
