package io.pulse.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Message;
import io.pulse.api.v1.ControlProto;
import io.pulse.api.v1.TypesProto;
import io.pulse.api.v1.WorkerProto;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * Loads and initializes every generated class of the api module, once, on the calling thread: each file's
 * descriptor, every message (default instance, builder, parser, field accessors), enum and gRPC service descriptor.
 *
 * <p>Why: left to first use, these classes are loaded and initialized by whichever threads touch them first, at
 * once — event loops, gRPC virtual threads — while the first deploys arrive. Ten concurrent first deploys once left
 * two event loops blocked for good, one waiting for {@code SandboxInfo}'s initialization and one for the jar it is
 * read from. Each component calls {@link #preload()} before its first event loop or gRPC thread starts, so none of
 * that happens on them.
 */
public final class ProtoDescriptors {

  private static boolean loaded;

  private ProtoDescriptors() {}

  /** Every generated file of the api module (one per {@code .proto}; a test checks none is missing). */
  public static List<FileDescriptor> files() {
    return List.of(TypesProto.getDescriptor(), ControlProto.getDescriptor(), WorkerProto.getDescriptor());
  }

  /** Idempotent; returns how many generated classes it initialized (0 after the first call). */
  public static synchronized int preload() {
    if (loaded) {
      return 0;
    }
    int classes = 0;
    for (FileDescriptor file : files()) {
      for (Descriptor message : file.getMessageTypes()) {
        classes += message(file, message);
      }
      for (EnumDescriptor type : file.getEnumTypes()) {
        classes += enumType(file, type);
      }
      for (ServiceDescriptor service : file.getServices()) {
        invoke(load(file.getOptions().getJavaPackage() + "." + service.getName() + "Grpc"), "getServiceDescriptor");
        classes++;
      }
    }
    loaded = true;
    return classes;
  }

  private static int message(FileDescriptor file, Descriptor type) {
    Message instance = (Message) invoke(load(javaName(file, type.getFullName())), "getDefaultInstance");
    instance.newBuilderForType().build();
    instance.getParserForType();
    instance.getAllFields(); // the reflection tables (toString, JSON) are built lazily too
    int classes = 2; // the message and its builder
    for (Descriptor nested : type.getNestedTypes()) {
      if (!nested.getOptions().getMapEntry()) { // a map field's entry type has no class of its own
        classes += message(file, nested);
      }
    }
    for (EnumDescriptor nested : type.getEnumTypes()) {
      classes += enumType(file, nested);
    }
    return classes;
  }

  private static int enumType(FileDescriptor file, EnumDescriptor type) {
    invoke(load(javaName(file, type.getFullName())), "values");
    return 1;
  }

  /** {@code pulse.v1.Outer.Inner} → {@code io.pulse.api.v1.Outer$Inner} (or under the outer class). */
  private static String javaName(FileDescriptor file, String fullName) {
    String relative = fullName.substring(file.getPackage().isEmpty() ? 0 : file.getPackage().length() + 1);
    String outer = file.getOptions().getJavaMultipleFiles() ? "" : file.getOptions().getJavaOuterClassname() + "$";
    return file.getOptions().getJavaPackage() + "." + outer + relative.replace('.', '$');
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, true, ProtoDescriptors.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("generated class missing: " + name, e);
    }
  }

  private static Object invoke(Class<?> type, String staticMethod) {
    try {
      return type.getMethod(staticMethod).invoke(null);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot initialize " + type.getName() + ": " + e, e);
    }
  }
}
