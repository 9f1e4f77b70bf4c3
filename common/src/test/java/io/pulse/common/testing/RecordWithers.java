package io.pulse.common.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a config record's withers ({@code withX(value)}, one argument) against its components: each must name a
 * component {@code x} of the parameter's type, and set that component and no other. Catches a wither whose component
 * name (a string, with {@code io.pulse.common.config.Records}) has a typo or points at the wrong field.
 */
public final class RecordWithers {

  private RecordWithers() {}

  /**
   * For every one-argument wither of {@code sample}'s class: called with {@code sample}'s own value of its component
   * it must give a record equal to {@code sample}. Returns the components so checked.
   */
  public static List<String> check(Record sample) {
    Class<?> type = sample.getClass();
    List<String> checked = new ArrayList<>();
    for (Method wither : type.getMethods()) {
      if (!wither.getName().startsWith("with") || wither.getName().length() < 5 || wither.getParameterCount() != 1
          || Modifier.isStatic(wither.getModifiers()) || wither.getReturnType() != type) {
        continue;
      }
      String rest = wither.getName().substring(4);
      String name = Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
      RecordComponent component = component(type, name);
      if (component.getType() != wither.getParameterTypes()[0]) {
        throw new AssertionError(wither.getName() + " takes " + wither.getParameterTypes()[0].getSimpleName()
            + " but component " + name + " is " + component.getType().getSimpleName());
      }
      try {
        component.getAccessor().setAccessible(true);
        wither.setAccessible(true);
        Object same = wither.invoke(sample, component.getAccessor().invoke(sample));
        if (!Objects.equals(same, sample)) {
          throw new AssertionError(wither.getName() + " with the current " + name + " changed the record: " + same);
        }
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new AssertionError(wither.getName() + " failed: " + (e.getCause() != null ? e.getCause() : e), e);
      }
      checked.add(name);
    }
    return checked;
  }

  private static RecordComponent component(Class<?> type, String name) {
    for (RecordComponent component : type.getRecordComponents()) {
      if (component.getName().equals(name)) {
        return component;
      }
    }
    throw new AssertionError(type.getSimpleName() + " has a wither for '" + name + "' but no such component");
  }
}
