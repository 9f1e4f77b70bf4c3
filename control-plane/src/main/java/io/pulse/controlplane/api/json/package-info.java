/**
 * The JSON form of a function: {@link io.pulse.controlplane.api.json.FunctionSpecParser} turns what the REST API
 * receives into a validated {@code FunctionSpec} (a violation names its field, which the API answers as a 400), and
 * {@link io.pulse.controlplane.api.json.FunctionJson} writes a spec or record back. The stores keep functions in the
 * same form ({@code state.StoredFunctionCodec}), so a record read back parses under the same rules. The records
 * themselves and their validation rules that are not about JSON stay in {@code registry}.
 */
@NullMarked
package io.pulse.controlplane.api.json;

import org.jspecify.annotations.NullMarked;
