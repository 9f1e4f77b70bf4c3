package io.pulse.common.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Copies of records with components changed, built through the canonical constructor so the copy is validated like
 * the original (its {@link IllegalArgumentException} naming the field reaches the caller unchanged). Config records'
 * withers use it: {@code return Records.with(this, "queueCapacity", value);} A new component then needs no draft
 * field, no copy line and no constructor call to keep in step: the record's own declaration is the only list.
 */
public final class Records {

  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return Shape.of(type);
    }
  };

  private Records() {}

  /** {@code record} with component {@code name} set to {@code value}. */
  public static <R extends Record> R with(R record, String name, @Nullable Object value) {
    Shape shape = SHAPES.get(record.getClass());
    Object[] values = shape.values(record);
    values[shape.index(name)] = value;
    return shape.construct(record, values);
  }

  /** {@code record} with two components changed at once (for pairs validated together, such as a range). */
  public static <R extends Record> R with(R record, String name, @Nullable Object value, String otherName,
      @Nullable Object otherValue) {
    Shape shape = SHAPES.get(record.getClass());
    Object[] values = shape.values(record);
    values[shape.index(name)] = value;
    values[shape.index(otherName)] = otherValue;
    return shape.construct(record, values);
  }

  /** A record class's components, their accessors and its canonical constructor, looked up once per class. */
  private record Shape(Class<?> type, String[] names, Method[] accessors, Constructor<?> constructor) {

    static Shape of(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      if (components == null) {
        throw new IllegalArgumentException(type.getName() + " is not a record");
      }
      Method[] accessors = new Method[components.length];
      Class<?>[] types = new Class<?>[components.length];
      String[] names = new String[components.length];
      for (int i = 0; i < components.length; i++) {
        names[i] = components[i].getName();
        types[i] = components[i].getType();
        accessors[i] = components[i].getAccessor();
        accessors[i].setAccessible(true);
      }
      try {
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return new Shape(type, names, accessors, constructor);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("a record always has a canonical constructor: " + type.getName(), e);
      }
    }

    int index(String name) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      throw new IllegalArgumentException(type.getSimpleName() + " has no component '" + name + "' (it has "
          + Arrays.toString(names) + ")");
    }

    Object[] values(Record record) {
      Object[] values = new Object[accessors.length];
      try {
        for (int i = 0; i < accessors.length; i++) {
          values[i] = accessors[i].invoke(record);
        }
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + type.getSimpleName() + "'s components", e);
      }
      return values;
    }

    @SuppressWarnings("unchecked")
    <R extends Record> R construct(R original, Object[] values) {
      try {
        return (R) constructor.newInstance(values);
      } catch (InvocationTargetException e) {
        // The constructor's own refusal (a bad value, named by the record) is the caller's to see as it is.
        if (e.getCause() instanceof RuntimeException refused) {
          throw refused;
        }
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException("cannot copy " + original.getClass().getSimpleName(), e.getCause());
      } catch (InstantiationException | IllegalAccessException e) {
        throw new IllegalStateException("cannot copy " + original.getClass().getSimpleName(), e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("wrong type for a component of " + original.getClass().getSimpleName()
            + ": " + e.getMessage(), e);
      }
    }
  }
}
